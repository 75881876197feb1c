using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vega.Lite.Core.Nix;

/// <summary>A SHA-256 hash as Nix writes it in narinfo files (<c>NarHash</c>, <c>FileHash</c>).</summary>
/// <remarks>
/// Parsing accepts every form Nix accepts for sha256 (<c>sha256:</c> + 64 hex, 52 nix32 or 44 base64,
/// and SRI <c>sha256-&lt;base64&gt;</c>). <c>default(NixHash)</c> holds no hash (<see cref="IsEmpty"/>).
/// </remarks>
public readonly struct NixHash : IEquatable<NixHash>
{
    /// <summary>Size of a SHA-256 digest in bytes.</summary>
    public const int Size = 32;

    /// <summary>Length of the nix32 form of a SHA-256 digest.</summary>
    public const int Nix32Length = 52;

    /// <summary>Length of the hexadecimal form of a SHA-256 digest.</summary>
    public const int HexLength = 64;

    /// <summary>Length of the (padded) base64 form of a SHA-256 digest.</summary>
    public const int Base64Length = 44;

    internal const string Prefix = "sha256:";

    private readonly byte[]? _bytes;

    private NixHash(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 digest bytes (empty for <c>default</c>).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True for <c>default(NixHash)</c>, which holds no digest.</summary>
    public bool IsEmpty => _bytes is null;

    /// <summary>Wraps a 32-byte SHA-256 digest.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes long.</exception>
    public static NixHash FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != Size)
        {
            throw new ArgumentException($"A SHA-256 digest is {Size} bytes, got {digest.Length}.", nameof(digest));
        }

        return new NixHash(digest.ToArray());
    }

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static NixHash Of(ReadOnlySpan<byte> data)
    {
        var digest = new byte[Size];
        SHA256.HashData(data, digest);
        return new NixHash(digest);
    }

    /// <summary>Parses a sha256 hash in any form Nix accepts.</summary>
    public static bool TryParse(string? text, out NixHash hash, out string? error)
    {
        if (text is null)
        {
            hash = default;
            error = "The hash string is missing.";
            return false;
        }

        return TryParse(text.AsSpan(), out hash, out error);
    }

    /// <summary>Parses a sha256 hash in any form Nix accepts.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NixHash hash, out string? error)
    {
        hash = default;
        Span<byte> digest = stackalloc byte[Size];

        if (text.StartsWith("sha256-", StringComparison.Ordinal))
        {
            ReadOnlySpan<char> sri = text["sha256-".Length..];
            if (sri.Length != Base64Length || !TryDecodeBase64(sri, digest))
            {
                error = $"Invalid SRI SHA-256 hash: expected {Base64Length} base64 characters encoding {Size} bytes.";
                return false;
            }

            hash = new NixHash(digest.ToArray());
            error = null;
            return true;
        }

        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            error = "The string lacks a colon separator.";
            return false;
        }

        ReadOnlySpan<char> algorithm = text[..colon];
        if (!algorithm.SequenceEqual("sha256"))
        {
            error = $"Unsupported hash algorithm '{Printable.Truncate(algorithm)}': only sha256 is supported.";
            return false;
        }

        ReadOnlySpan<char> rest = text[(colon + 1)..];
        bool ok;
        string kind;
        switch (rest.Length)
        {
            case HexLength:
                kind = "hexadecimal";
                ok = TryDecodeHex(rest, digest);
                break;
            case Nix32Length:
                kind = "base32";
                ok = Nix32.TryDecode(rest, digest);
                break;
            case Base64Length:
                kind = "base64";
                ok = TryDecodeBase64(rest, digest);
                break;
            default:
                error = $"Invalid length for SHA-256 string: Must be either {HexLength} (hexadecimal), "
                    + $"{Nix32Length} (base32) or {Base64Length} (base64), got {rest.Length}.";
                return false;
        }

        if (!ok)
        {
            error = $"Invalid {kind} SHA-256 string '{Printable.Truncate(rest)}'.";
            return false;
        }

        hash = new NixHash(digest.ToArray());
        error = null;
        return true;
    }

    /// <summary>Parses a sha256 hash in any form Nix accepts.</summary>
    /// <exception cref="FormatException">The text is not a valid sha256 hash.</exception>
    public static NixHash Parse(string text)
    {
        if (!TryParse(text, out NixHash hash, out string? error))
        {
            throw new FormatException(error);
        }

        return hash;
    }

    private static bool TryDecodeHex(ReadOnlySpan<char> text, Span<byte> digest) =>
        Convert.FromHexString(text, digest, out int consumed, out int written) == System.Buffers.OperationStatus.Done
        && consumed == HexLength && written == Size;

    private static bool TryDecodeBase64(ReadOnlySpan<char> text, Span<byte> digest)
    {
        // Convert skips whitespace; Nix does not accept it.
        if (text.ContainsAny(" \t\r\n"))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[Size + 3];
        return Convert.TryFromBase64Chars(text, buffer, out int written) && written == Size
            && buffer[..Size].TryCopyTo(digest);
    }

    /// <summary><c>sha256:&lt;nix32&gt;</c>, the form Nix writes in narinfo files and fingerprints.</summary>
    public string ToNix32String()
    {
        byte[] bytes = RequireBytes();
        return string.Create(Prefix.Length + Nix32Length, bytes, static (span, b) =>
        {
            Prefix.AsSpan().CopyTo(span);
            Nix32.TryEncode(b, span[Prefix.Length..], out _);
        });
    }

    /// <summary>Length of <see cref="ToHexString"/>'s text.</summary>
    public const int HexStringLength = 7 + HexLength;

    /// <summary><c>sha256:&lt;lowercase hex&gt;</c>, the form Attic stores.</summary>
    public string ToHexString() => string.Create(HexStringLength, this, static (span, hash) => hash.WriteHexString(span));

    /// <summary>Writes <see cref="ToHexString"/>'s text into the first <see cref="HexStringLength"/> characters of
    /// <paramref name="destination"/>, without making a string.</summary>
    public void WriteHexString(Span<char> destination)
    {
        Prefix.AsSpan().CopyTo(destination);
        Convert.TryToHexStringLower(RequireBytes(), destination[Prefix.Length..HexStringLength], out _);
    }

    /// <summary>SRI form <c>sha256-&lt;base64&gt;</c>.</summary>
    public string ToSriString() => "sha256-" + Convert.ToBase64String(RequireBytes());

    /// <summary>Writes <c>sha256:&lt;nix32&gt;</c> as ASCII into <paramref name="destination"/> (59 bytes).</summary>
    internal void WriteNix32Utf8(Span<byte> destination)
    {
        byte[] bytes = RequireBytes();
        "sha256:"u8.CopyTo(destination);
        Nix32.EncodeUtf8(bytes, destination[Prefix.Length..]);
    }

    private byte[] RequireBytes() =>
        _bytes ?? throw new InvalidOperationException("The NixHash is empty (default value).");

    /// <inheritdoc />
    public bool Equals(NixHash other) => Bytes.SequenceEqual(other.Bytes) && IsEmpty == other.IsEmpty;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NixHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes is null ? 0 : BinaryPrimitives.ReadInt32LittleEndian(_bytes);

    /// <summary>The nix32 form, or an empty string for <c>default</c>.</summary>
    public override string ToString() => IsEmpty ? string.Empty : ToNix32String();

    /// <summary>Equality of the digests.</summary>
    public static bool operator ==(NixHash left, NixHash right) => left.Equals(right);

    /// <summary>Inequality of the digests.</summary>
    public static bool operator !=(NixHash left, NixHash right) => !left.Equals(right);
}
