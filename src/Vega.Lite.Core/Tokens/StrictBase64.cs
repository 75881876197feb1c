namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Canonical base64 decoding as the Rust crates Attic uses do it: no whitespace, no stray padding,
/// unused trailing bits must be zero.
/// <list type="bullet">
/// <item>URL-safe alphabet without padding: jwt-simple's <c>ct_codecs::Base64UrlSafeNoPadding</c>.</item>
/// <item>Standard alphabet with canonical padding: the <c>base64</c> crate's <c>STANDARD</c> engine.</item>
/// </list>
/// </summary>
internal static class StrictBase64
{
    private const string StandardAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly sbyte[] StandardTable = BuildTable(StandardAlphabet);
    private static readonly sbyte[] UrlTable = BuildTable(UrlAlphabet);

    public static bool TryDecodeUrlNoPadding(ReadOnlySpan<char> text, out byte[] bytes) =>
        TryDecodeUnpadded(text, UrlTable, out bytes);

    public static bool TryDecodeStandardPadded(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0)
        {
            return false;
        }

        int padding = 0;
        while (padding < 2 && padding < text.Length && text[text.Length - 1 - padding] == '=')
        {
            padding++;
        }

        return TryDecodeUnpadded(text[..^padding], StandardTable, out bytes);
    }

    private static bool TryDecodeUnpadded(ReadOnlySpan<char> text, sbyte[] table, out byte[] bytes)
    {
        bytes = [];
        int remainder = text.Length % 4;
        if (remainder == 1)
        {
            return false;
        }

        var output = new byte[(text.Length / 4 * 3) + (remainder == 0 ? 0 : remainder - 1)];
        int accumulator = 0;
        int bits = 0;
        int position = 0;
        foreach (char c in text)
        {
            int value = c < 128 ? table[c] : -1;
            if (value < 0)
            {
                return false;
            }

            accumulator = (accumulator << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[position++] = (byte)(accumulator >> bits);
                accumulator &= (1 << bits) - 1;
            }
        }

        if (accumulator != 0)
        {
            return false;
        }

        bytes = output;
        return true;
    }

    private static sbyte[] BuildTable(string alphabet)
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (int i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
