namespace Vega.Lite.Core.Tokens;

/// <summary>Checks a JWS signature over the signing input (<c>header.payload</c> bytes).</summary>
internal abstract class SignatureVerifier
{
    public static SignatureVerifier For(JwtKey key) => key.Algorithm == JwtKey.HS256
        ? new HmacSha256Verifier(key)
        : new RsaSha256Verifier(key.RsaPublicKeySpki ?? throw new ArgumentException("RS256 key without public key.", nameof(key)));

    /// <summary>Thread-safe.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature);
}
