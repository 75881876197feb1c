using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Verifies Attic JWTs like <c>Token::from_jwt</c> (jwt-simple 0.11.9 <c>verify_token</c>). Thread-safe; build
/// one per configured key and share it. Never throws for bad tokens.
/// <para>Order of checks: three unpadded base64url segments, header segment at most 8192 characters, header
/// (<see cref="JwtHeaderValidator"/>), signature (HMAC-SHA256 or RSASSA-PKCS1-v1_5/SHA-256), claims shape
/// (<see cref="ClaimsParser"/>), then iat/nbf/exp with zero leeway and the bound issuer/audiences.</para>
/// </summary>
public sealed class TokenVerifier
{
    /// <summary>jwt-simple <c>MAX_HEADER_LENGTH</c>.</summary>
    public const int MaxHeaderLength = 8192;

    private readonly JwtKey _key;
    private readonly SignatureVerifier _signature;
    private readonly ClaimsPolicy _policy;

    /// <param name="key">The configured key; its <see cref="JwtKey.Algorithm"/> is the only accepted <c>alg</c>.</param>
    /// <param name="boundIssuer"><c>[jwt] token-bound-issuer</c>: when set, <c>iss</c> is required and must equal it.</param>
    /// <param name="boundAudiences"><c>[jwt] token-bound-audiences</c>: when set (even empty), <c>aud</c> is required
    /// and must share at least one value with it.</param>
    /// <param name="time">Clock used for exp/nbf/iat.</param>
    public TokenVerifier(JwtKey key, string? boundIssuer, IReadOnlyCollection<string>? boundAudiences, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        _key = key;
        _signature = SignatureVerifier.For(key);
        _policy = new ClaimsPolicy(boundIssuer, boundAudiences, time);
    }

    /// <summary>
    /// Verifies a compact JWT. On success <paramref name="claims"/> is set; on failure <paramref name="failure"/>
    /// holds a short reason for debug logs (the request should then be treated as anonymous).
    /// </summary>
    public bool TryVerify(
        string compactJwt,
        [NotNullWhen(true)] out TokenClaims? claims,
        [NotNullWhen(false)] out string? failure)
    {
        claims = null;
        if (compactJwt is null)
        {
            failure = "no token";
            return false;
        }

        try
        {
            return TryVerifyCore(compactJwt, out claims, out failure);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException
            or System.Security.Cryptography.CryptographicException)
        {
            claims = null;
            failure = $"malformed token ({e.GetType().Name})";
            return false;
        }
    }

    private bool TryVerifyCore(
        string token, [NotNullWhen(true)] out TokenClaims? claims, [NotNullWhen(false)] out string? failure)
    {
        claims = null;
        int firstDot = token.IndexOf('.', StringComparison.Ordinal);
        int secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot >= 0 && firstDot > MaxHeaderLength)
        {
            failure = "header too long";
            return false;
        }

        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            failure = "not a compact JWS (expected 3 segments)";
            return false;
        }

        ReadOnlySpan<char> headerSegment = token.AsSpan(0, firstDot);
        ReadOnlySpan<char> payloadSegment = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        ReadOnlySpan<char> signatureSegment = token.AsSpan(secondDot + 1);

        if (!StrictBase64.TryDecodeUrlNoPadding(headerSegment, out byte[] headerJson))
        {
            failure = "header is not base64url";
            return false;
        }

        if (!JwtHeaderValidator.TryValidate(headerJson, _key.Algorithm, out failure))
        {
            return false;
        }

        if (!StrictBase64.TryDecodeUrlNoPadding(signatureSegment, out byte[] signature))
        {
            failure = "signature is not base64url";
            return false;
        }

        byte[] signingInput = Encoding.UTF8.GetBytes(token, 0, secondDot);
        if (!_signature.Verify(signingInput, signature))
        {
            failure = "bad signature";
            return false;
        }

        if (!StrictBase64.TryDecodeUrlNoPadding(payloadSegment, out byte[] payloadJson))
        {
            failure = "payload is not base64url";
            return false;
        }

        if (!ClaimsParser.TryParse(payloadJson, out claims, out failure))
        {
            return false;
        }

        if (!_policy.TryValidate(claims, out failure))
        {
            claims = null;
            return false;
        }

        return true;
    }
}
