using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Vega.Lite.Core.Nix;

/// <summary>Parsing of Nix's <c>name:base64</c> strings (keys and signatures).</summary>
internal static class NixKeyText
{
    /// <summary>Splits at the first ':' and decodes exactly <paramref name="byteCount"/> bytes of standard, padded base64.</summary>
    /// <param name="what">Used in error messages, e.g. "secret key".</param>
    internal static bool TryParse(
        string? text,
        int byteCount,
        string what,
        [NotNullWhen(true)] out string? name,
        [NotNullWhen(true)] out byte[]? bytes,
        [NotNullWhen(false)] out string? error)
    {
        name = null;
        bytes = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = $"Invalid {what}: the string is empty";
            return false;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = $"Invalid {what}: expected \"name:base64\" but there is no ':'";
            return false;
        }

        if (colon == 0)
        {
            error = $"Invalid {what}: the key name before ':' is empty";
            return false;
        }

        string encoded = text[(colon + 1)..];
        byte[] buffer = new byte[encoded.Length];
        try
        {
            if (!Convert.TryFromBase64String(encoded, buffer, out int written))
            {
                error = $"Invalid {what}: the part after ':' is not valid base64";
                return false;
            }

            if (written != byteCount)
            {
                error = $"Invalid {what}: expected {byteCount} bytes after base64 decoding, got {written}";
                return false;
            }

            bytes = buffer.AsSpan(0, byteCount).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }

        name = text[..colon];
        error = null;
        return true;
    }

    /// <summary>Throws unless <paramref name="name"/> is a valid key name (non-empty, no ':').</summary>
    internal static void ValidateName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A Nix key name must not contain ':'.", paramName);
        }
    }

    internal static string Format(string name, ReadOnlySpan<byte> bytes) => $"{name}:{Convert.ToBase64String(bytes)}";
}
