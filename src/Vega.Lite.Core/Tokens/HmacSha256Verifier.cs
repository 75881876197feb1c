using System.Security.Cryptography;

namespace Vega.Lite.Core.Tokens;

/// <summary>HMAC-SHA256 with a constant-time tag comparison (one-shot static API: thread-safe).</summary>
internal sealed class HmacSha256Verifier(JwtKey key) : SignatureVerifier
{
    public override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key.HmacSecret, signingInput, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
