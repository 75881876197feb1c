namespace Vega.Lite.Core.Tokens;

/// <summary>Claim names used by Attic tokens.</summary>
internal static class AtticClaimNames
{
    /// <summary>The custom claim namespace (Attic <c>CLAIM_NAMESPACE</c>).</summary>
    public const string Namespace = "https://jwt.attic.rs/v1";

    public const string Caches = "caches";
    public const string IssuedAt = "iat";
    public const string ExpiresAt = "exp";
    public const string NotBefore = "nbf";
    public const string Issuer = "iss";
    public const string Subject = "sub";
    public const string Audience = "aud";
    public const string JwtId = "jti";
    public const string Nonce = "nonce";
}
