using System.Text;

namespace Vega.Lite.Core.Nix;

/// <summary>Makes untrusted input safe to quote in an error message: escapes control bytes, truncates.</summary>
public static class Printable
{
    private const int MaxLength = 80;

    public static string Truncate(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (char c in text)
        {
            if (sb.Length >= MaxLength)
            {
                sb.Append("...");
                break;
            }

            if (char.IsControl(c))
            {
                sb.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => $"\\x{(int)c:x2}",
                });
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Quotes bytes of a NAR token: valid UTF-8 as text, otherwise printable ASCII as is and the rest as \xNN.</summary>
    public static string Truncate(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes[..Math.Min(bytes.Length, MaxLength * 4)]))
        {
            return Truncate(Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, MaxLength * 4)]));
        }

        var sb = new StringBuilder(Math.Min(bytes.Length, MaxLength) + 8);
        foreach (byte b in bytes)
        {
            if (sb.Length >= MaxLength)
            {
                sb.Append("...");
                break;
            }

            if (b is >= 0x20 and < 0x7f && b != (byte)'\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append($"\\x{b:x2}");
            }
        }

        return sb.ToString();
    }
}
