namespace Vega.Lite.Core.Nix;

/// <summary>Shape of a narinfo <c>Sig</c> value: <c>&lt;keyname&gt;:&lt;base64 of a 64-byte Ed25519 signature&gt;</c>.</summary>
internal static class SignatureFormat
{
    public const int SignatureSize = 64;

    /// <summary>Returns null when well-formed, otherwise the reason (Nix 2.34+ rejects such narinfos).</summary>
    public static string? Validate(ReadOnlySpan<char> value)
    {
        int colon = value.IndexOf(':');
        if (colon <= 0)
        {
            return "expected '<key name>:<base64 signature>'";
        }

        ReadOnlySpan<char> signature = value[(colon + 1)..];
        if (signature.ContainsAny(" \t") || signature.Length != 88)
        {
            return $"the signature must be {SignatureSize} bytes in base64 (88 characters)";
        }

        Span<byte> buffer = stackalloc byte[SignatureSize + 3];
        if (!Convert.TryFromBase64Chars(signature, buffer, out int written) || written != SignatureSize)
        {
            return $"the signature must be {SignatureSize} bytes in base64 (88 characters)";
        }

        return null;
    }
}
