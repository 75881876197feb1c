using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

/// <summary>A clock stuck at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static FixedTimeProvider AtUnix(long seconds, long extraTicks = 0) =>
        new(DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(extraTicks));

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Builds tokens from raw JSON so tests can control every byte.</summary>
internal static class TestJwt
{
    public const long Now = 1_750_000_000;

    public const string Hs256Header = """{"alg":"HS256","typ":"JWT"}""";

    public static readonly byte[] Secret = "test secret for unit tests"u8.ToArray();

    public static readonly JwtKey Key = JwtKey.Hs256(Secret);

    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string Hs256(string payloadJson, string headerJson = Hs256Header, byte[]? secret = null)
    {
        string signingInput = B64(headerJson) + "." + B64(payloadJson);
        byte[] tag = HMACSHA256.HashData(secret ?? Secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(tag);
    }

    /// <summary>Payload with the Attic namespace holding <paramref name="cachesJson"/> plus extra claims.</summary>
    public static string Payload(string cachesJson = "{}", string extraClaims = "") =>
        "{" + extraClaims + (extraClaims.Length > 0 ? "," : string.Empty)
        + "\"https://jwt.attic.rs/v1\":{\"caches\":" + cachesJson + "}}";

    public static TokenVerifier Verifier(
        long now = Now, string? issuer = null, IReadOnlyCollection<string>? audiences = null, JwtKey? key = null) =>
        new(key ?? Key, issuer, audiences, FixedTimeProvider.AtUnix(now));

    public static TokenClaims AssertValid(string token, TokenVerifier? verifier = null)
    {
        bool ok = (verifier ?? Verifier()).TryVerify(token, out TokenClaims? claims, out string? failure);
        Assert.True(ok, failure);
        return claims!;
    }

    public static string AssertInvalid(string token, TokenVerifier? verifier = null)
    {
        bool ok = (verifier ?? Verifier()).TryVerify(token, out TokenClaims? claims, out string? failure);
        Assert.False(ok);
        Assert.Null(claims);
        Assert.False(string.IsNullOrEmpty(failure));
        return failure!;
    }
}

/// <summary>One 2048-bit RSA key per test run, exported in every PEM flavour.</summary>
internal static class TestRsa
{
    private static readonly Lazy<RSA> Instance = new(() => RSA.Create(2048));

    public static string Pkcs1PrivatePem => Instance.Value.ExportRSAPrivateKeyPem();

    public static string Pkcs8PrivatePem => Instance.Value.ExportPkcs8PrivateKeyPem();

    public static string SpkiPublicPem => Instance.Value.ExportSubjectPublicKeyInfoPem();

    public static string Pkcs1PublicPem => Instance.Value.ExportRSAPublicKeyPem();

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
