using System.Buffers;

namespace Vega.Lite.Core.Nix;

/// <summary>
/// Nix's own base-32 encoding ("nix32"), as used for store path hashes and <c>sha256:</c> hashes.
/// </summary>
/// <remarks>
/// This is not RFC 4648 base32: the alphabet is <c>0123456789abcdfghijklmnpqrsvwxyz</c>
/// (no e, o, u, t), bits are taken little-endian from the digest, and the first character
/// carries the highest 5-bit group. A 32-byte digest encodes to 52 characters, 20 bytes to 32.
/// </remarks>
public static class Nix32
{
    /// <summary>The 32 nix32 symbols, in digit order.</summary>
    public const string Alphabet = "0123456789abcdfghijklmnpqrsvwxyz";

    internal static ReadOnlySpan<byte> AlphabetUtf8 => "0123456789abcdfghijklmnpqrsvwxyz"u8;

    internal static readonly SearchValues<char> ValidChars = SearchValues.Create(Alphabet);

    // Digit value for every ASCII code point, -1 for characters outside the alphabet.
    private static ReadOnlySpan<sbyte> DecodeTable =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        // `   a   b   c   d   e   f   g   h   i   j   k   l   m   n   o
        -1, 10, 11, 12, 13, -1, 14, 15, 16, 17, 18, 19, 20, 21, 22, -1,
        // p   q   r   s   t   u   v   w   x   y   z
        23, 24, 25, 26, -1, -1, 27, 28, 29, 30, 31, -1, -1, -1, -1, -1,
    ];

    /// <summary>Number of nix32 characters for <paramref name="byteCount"/> bytes: <c>ceil(8n / 5)</c>.</summary>
    public static int GetEncodedLength(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteCount, int.MaxValue / 8);
        return byteCount == 0 ? 0 : ((byteCount * 8) - 1) / 5 + 1;
    }

    /// <summary>
    /// Number of bytes a nix32 string of <paramref name="charCount"/> characters decodes to,
    /// or -1 when no byte count encodes to exactly that many characters.
    /// </summary>
    public static int GetDecodedLength(int charCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charCount);
        int bytes = (int)((long)charCount * 5 / 8);
        return GetEncodedLength(bytes) == charCount ? bytes : -1;
    }

    /// <summary>Whether <paramref name="c"/> is one of the 32 nix32 symbols (lowercase only).</summary>
    public static bool IsValidChar(char c) => c < 128 && DecodeTable[c] >= 0;

    /// <summary>Encodes <paramref name="data"/> as nix32.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        int length = GetEncodedLength(data.Length);
        if (length == 0)
        {
            return string.Empty;
        }

        Span<char> buffer = length <= 256 ? stackalloc char[length] : new char[length];
        EncodeCore(data, buffer);
        return new string(buffer);
    }

    /// <summary>Encodes <paramref name="data"/> into <paramref name="destination"/>.</summary>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public static bool TryEncode(ReadOnlySpan<byte> data, Span<char> destination, out int charsWritten)
    {
        int length = GetEncodedLength(data.Length);
        if (destination.Length < length)
        {
            charsWritten = 0;
            return false;
        }

        EncodeCore(data, destination[..length]);
        charsWritten = length;
        return true;
    }

    /// <summary>Encodes into ASCII bytes; <paramref name="destination"/> must hold the encoded length.</summary>
    internal static void EncodeUtf8(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ReadOnlySpan<byte> alphabet = AlphabetUtf8;
        int length = GetEncodedLength(data.Length);
        destination = destination[..length];
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = alphabet[Digit(data, length - 1 - k)];
        }
    }

    private static void EncodeCore(ReadOnlySpan<byte> data, Span<char> destination)
    {
        int length = destination.Length;
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = Alphabet[Digit(data, length - 1 - k)];
        }
    }

    // 5-bit group n starts at little-endian bit 5n of the digest.
    private static int Digit(ReadOnlySpan<byte> data, int group)
    {
        int bit = group * 5;
        int i = bit >> 3;
        int j = bit & 7;
        int value = data[i] >> j;
        if (i + 1 < data.Length)
        {
            value |= data[i + 1] << (8 - j);
        }

        return value & 0x1f;
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="destination"/>, whose length fixes the
    /// expected digest size (the text must be exactly <see cref="GetEncodedLength"/> characters).
    /// </summary>
    /// <returns>
    /// False on a wrong length, a character outside the alphabet, or bits set beyond the digest
    /// (Nix rejects those as "invalid base-32 hash").
    /// </returns>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != GetEncodedLength(destination.Length))
        {
            return false;
        }

        destination.Clear();
        ReadOnlySpan<sbyte> table = DecodeTable;
        int last = text.Length - 1;
        for (int k = 0; k < text.Length; k++)
        {
            char c = text[k];
            int digit = c < 128 ? table[c] : -1;
            if (digit < 0)
            {
                return false;
            }

            int bit = (last - k) * 5;
            int i = bit >> 3;
            int j = bit & 7;
            destination[i] |= (byte)(digit << j);
            int carry = digit >> (8 - j);
            if (i + 1 < destination.Length)
            {
                destination[i + 1] |= (byte)carry;
            }
            else if (carry != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes a nix32 string; the digest size follows from its length.</summary>
    /// <exception cref="FormatException">The text is not valid nix32.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int byteCount = GetDecodedLength(text.Length);
        if (byteCount < 0)
        {
            throw new FormatException($"Invalid nix32 string: length {text.Length} is not the encoding of any byte count.");
        }

        byte[] result = new byte[byteCount];
        if (!TryDecode(text, result))
        {
            throw new FormatException($"Invalid nix32 string '{text}'.");
        }

        return result;
    }
}
