using System.Text;
using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Core.Tests.Nix.Support;

/// <summary>Hand-assembles NAR byte streams token by token, to build valid and corrupt NARs.</summary>
internal static class NarBytes
{
    /// <summary>Raw bytes inserted without length or padding.</summary>
    public sealed record Raw(byte[] Bytes);

    /// <summary>
    /// Each token: a string (UTF-8) or byte[] is written as a NAR string; a <see cref="Raw"/> as is;
    /// a ulong as a bare u64.
    /// </summary>
    public static byte[] Tokens(params object[] tokens)
    {
        using var output = new MemoryStream();
        using (var writer = new NarTokenWriter(output))
        {
            foreach (object token in tokens)
            {
                switch (token)
                {
                    case string s:
                        writer.WriteString(Encoding.UTF8.GetBytes(s));
                        break;
                    case byte[] b:
                        writer.WriteString(b);
                        break;
                    case Raw raw:
                        writer.WriteRaw(raw.Bytes);
                        break;
                    case ulong u:
                        writer.WriteU64(u);
                        break;
                    default:
                        throw new ArgumentException($"Unsupported token {token}.");
                }
            }

            writer.Flush();
        }

        return output.ToArray();
    }

    /// <summary>Tokens of a regular file node.</summary>
    public static object[] Regular(string contents, bool executable = false) => executable
        ? ["(", "type", "regular", "executable", "", "contents", contents, ")"]
        : ["(", "type", "regular", "contents", contents, ")"];

    /// <summary>Tokens of a directory entry.</summary>
    public static object[] Entry(object name, object[] node) => ["entry", "(", "name", name, "node", .. node, ")"];

    /// <summary>A NAR whose root is a directory with the given entries.</summary>
    public static byte[] Directory(params object[][] entries)
    {
        var tokens = new List<object> { "nix-archive-1", "(", "type", "directory" };
        foreach (object[] entry in entries)
        {
            tokens.AddRange(entry);
        }

        tokens.Add(")");
        return Tokens([.. tokens]);
    }
}
