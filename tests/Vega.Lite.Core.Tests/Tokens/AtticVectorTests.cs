using System.Security.Cryptography;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

/// <summary>
/// Vectors ported verbatim from zhaofengli/attic <c>token/src/tests.rs</c> (<c>test_basic</c>). The signed claims:
/// <code>
/// {"exp":4102324986,"https://jwt.attic.rs/v1":{"caches":{"all-*":{"r":1},"all-ci-*":{"w":1},
///  "cache-ro":{"r":1},"cache-rw":{"r":1,"w":1},"team-*":{"cc":1,"r":1,"w":1}}},"iat":...,"sub":"meow"}
/// </code>
/// (the RS256 one also carries <c>"nbf":0</c>).
/// </summary>
public sealed class AtticVectorTests
{
    // "very secure secret"
    public const string Hs256SecretBase64 = "dmVyeSBzZWN1cmUgc2VjcmV0";

    public const string Hs256Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDIzMjQ5ODYsImh0dHBzOi8vand0LmF0dGljLnJzL3YxIjp7ImNhY2hlcyI6eyJhbGwtKiI6eyJyIjoxfSwiYWxsLWNpLSoiOnsidyI6MX0sImNhY2hlLXJvIjp7InIiOjF9LCJjYWNoZS1ydyI6eyJyIjoxLCJ3IjoxfSwidGVhbS0qIjp7ImNjIjoxLCJyIjoxLCJ3IjoxfX19LCJpYXQiOjE3MTY2NjA1ODksInN1YiI6Im1lb3cifQ.8vtxp_1OEYdcnkGPM4c9ORXooJZV7DOTS4NRkMKN8mw";

    // openssl genpkey ... rsa_keygen_bits:2048 | openssl rsa -outform PEM -traditional | base64 -w0
    public const string Rs256SecretBase64 = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVBNUZranRMRzV5eS9pMFlnYkQxeUJBK21GckNmLzZiQ2F0TDFFQ3ppNG1tZWhSZTcwCkFEL0dSSHhTVUErc0pZeCtZNjlyL0RqQWs2OFJlQ1c4b2FQWXhtc21RNG5VM2ZwZ2E3WWFqZ3ZoWmVsa3JtaC8KZ1ZURWtFTG1IZlJtQkwvOWlsT20yRHNtYTVhUFo0SFl6ellpdjJvcFF5UGRndXcyWXFtbzE3Nk5MdllCMmpJTwovR3FkdE55K3NPV296NktVSVlJa0hWWU5HMENVcFNzdXBqUTJ6VTVZMFc2UXlNQWFWd1BONElJT3lXWUNwZXRECjFJbWxYekhROXM4NXFSWnlLa21iZFhtTVBVWmUvekRxc2FFd3lscFlpT0RjbDdRYU5QTzEzZnk3UGtQMmVwdUkKTk5tZ1E0WEF0MkF4ZXNKck5ibUs4aG1iM3doRXZkNjRFMGdEV1FJREFRQUJBb0lCQUJEemNRd2IyVi8wK1JCMgoyeE5qMll2eHpPTi93S2FYWHBTbUxDUHRIUDhSVEU2RnM0VkZOckdrelBOMmhsL3ZNdjZ4YWdHNk1NbUZ5SFV6CnovSHIyTTY1NjRnOTloaFlXc29FSmFwL3hVYXNjYlhrdWZwZTBZeW4rcThra21JdDRtTmZYRlpXNWI0ODJmNWsKRERVdG5weTVBOEVoSzNOcGw0dnhia0E5dS90TlVlT1NHTkhPYVZjcHdERVhDNXJ4bmFxTm5wMkMwa1A4ODRINgpSb2lZVkF4bytHaVpNVzhIOFRmSXVsenh3c04yQnVNcUNmOGVhNG1EM0pRVHZ2REhhUHM4eVJTUlB3UmlHYUkzCnVybFRmdjg4U20va09oL0N2SkpoRnhCVkVNVjIydWRNUmU3L3NpTWtlbVlvUnhaTWJjRGVQK2h1RktJWTRSMEoKNnRJUHQ3VUNnWUVBOTlhL2IzeFBsQWh0ck02dUlUUXNQd0FYQUg3Q1NXL1FSdVJUTWVhYXVIMk9sRitjZmpMNApJS1Nsdy9QaUtaUEk1TFRWM2ZVZk5WNTVsOFZHTytsT2ViTFhnaXBYM3BqSDBma3AyY3Q2Smk3aGw0aUlXK0h0ClpJNE9KYkYwTTBETHdySkd3T25QL2trRHNxSW9IbC9MdTBRM2FxSm1RVCsvcG54R083R21kbDhDZ1lFQTY5NFcKZHF2NnF4VjF5V0Z4QWZOOE1hZStpTC9xY1VhTm85ZzMva2YvOXZ3VXdtcERvR0xnaVVLMWZKb3BUYlBjcWgwRwptbUZEQ3V2M1Q0OS9yU2k5dU4zYm82cmlXRUl4VFg1YUtFSjlpSEFMWDJGWDdGSDJRdUZGWEwzQ2c0ckdvL1pDCmdjUkxuS3dma3JUVnRxeEdaNjN4YmsvcFpHWjZtTW01VkNDck1VY0NnWUVBc3JUT1pQMG1CSC92VldQU2UyNjcKV05JZncrT2pCSUR6bGFxZHNxV3Rlc3BPUFA2VVFRdFBqM29wYlJvMlFmU21Md09XRXUzbEN2Nk1mcnRvNFZwaAprNjg1WmtwU0FkZjRmWmRFYmg4aWZOWGhKUHIyR0FyWXVtRVVJbW5LZUFxSTRtTGFVZEJHZ2Z6MEJhS1hldzlvClFDZjRMWlBjVjhBMzJUeFRDRWdZMTlFQ2dZQU04U2F5WkVWZzFkQ2N1Q2dIUDJEMUtJc2YzY2Z6WnplbVlkclEKclFxeWRxcDg4Rys5Z1M5bzJLdzBwaERXSHFSaEFTNjNrZGFuNXNLdkx1U0dqOUc1THhNNks4bzNwWW9uQW1QWQpDYTN4cXBRMUs1WXpkVnZaMTVxQ3VEYlFHUEZGVmVIWVZQa0JJOENud0J4cDVaSUhabGYxQVpXQTJNNnBTNGhMCndXOGpTUUtCZ1FDQmNJbjU4Y0lmZkhmMjM4SUJvZnR1UVVzREZGcnkzaUVpaWpTYmJ1WnB1Vm8zL2pWbUsyaEYKS2xUL2xoRDdWdGJ1V3phMG9WQmZDaWZqMnZ2S2pmZ0l6NnF3Um1UbC9DSjlWdUNHTUI1VG55cGl3OEtodXorSAo0L2twdDdNcW9WQ0dRSjd1WVQyQzY1K0JqNklnUnBQT09za3VKNW1RZ0FlbTQ3eDBrVnRSemc9PQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=";

    // jq -c < json | jwt encode --alg RS256 --secret @./rs256 -
    public const string Rs256Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJleHAiOjQxMDIzMjQ5ODYsImh0dHBzOi8vand0LmF0dGljLnJzL3YxIjp7ImNhY2hlcyI6eyJhbGwtKiI6eyJyIjoxfSwiYWxsLWNpLSoiOnsidyI6MX0sImNhY2hlLXJvIjp7InIiOjF9LCJjYWNoZS1ydyI6eyJyIjoxLCJ3IjoxfSwidGVhbS0qIjp7ImNjIjoxLCJyIjoxLCJ3IjoxfX19LCJpYXQiOjE3MjIwMDUwNzksIm5iZiI6MCwic3ViIjoibWVvdyJ9.Zs24IUbQOpOjhEe0sfsoSSJhDrzf4v-_wX_ceKqHeb2MERY8XSIQ1RPTNVeOW4LfJHumJj_rxh8Wv2BRGZSMldrTt0Ab_N7FnkhA37_jnRvgvEjSG3V4fC8aA4KoOa-43NRpg4HmPxiXte5-6LneBOR94Wss868wC1b_2yX2zCc1wQoZA3LNo-CRLnL4Yp5wY4Bbgyguv_9mfqXVYZykZnxumyGwVFD-Rub3KQ9d53Rf9tKcvRk9qxO2q8F2PKjeaUBG2xZtGwkWTMvSmwR1dKtkPUyPggOzbLoUG-6fxfo7D3NyL5qWCSN_7CkI-xlsRSLY1gTq-FqXvcpHeZbc8w";

    private const long Hs256IssuedAt = 1716660589;
    private const long Rs256IssuedAt = 1722005079;

    public static TheoryData<string, string, string> Vectors => new()
    {
        { JwtKey.Hs256SecretSetting, Hs256SecretBase64, Hs256Token },
        { JwtKey.Rs256SecretSetting, Rs256SecretBase64, Rs256Token },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void ExpectedPermissions(string setting, string secret, string token)
    {
        var verifier = new TokenVerifier(
            JwtKey.FromBase64Setting(setting, secret), null, null, FixedTimeProvider.AtUnix(TestJwt.Now));

        // Iteration order must be stable: all-ci-abc takes `all-*` (pull only), never `all-ci-*` (push only).
        for (int i = 0; i <= 1000; i++)
        {
            CachePermission allCi = TestJwt.AssertValid(token, verifier).GetPermissionForCache("all-ci-abc");
            Assert.True(allCi.Pull);
            Assert.False(allCi.Push);
        }

        TokenClaims claims = TestJwt.AssertValid(token, verifier);
        Assert.Equal("meow", claims.Subject);
        Assert.Equal(4102324986, claims.ExpiresAt);

        CachePermission rw = claims.GetPermissionForCache("cache-rw");
        Assert.Equal(new CachePermission(Pull: true, Push: true, false, false, false, false, false), rw);

        CachePermission ro = claims.GetPermissionForCache("cache-ro");
        Assert.Equal(CachePermission.None.WithPull(), ro);

        CachePermission team = claims.GetPermissionForCache("team-xyz");
        Assert.True(team.Pull);
        Assert.True(team.Push);
        Assert.False(team.Delete);
        Assert.True(team.CreateCache);

        Assert.False(claims.GetPermissionForCache("forbidden-cache").CanDiscover);
        Assert.True(ro.CanDiscover);
    }

    [Fact]
    public void Hs256VectorClaims()
    {
        TokenClaims claims = TestJwt.AssertValid(Hs256Token, Hs256Verifier(TestJwt.Now));
        Assert.Equal(Hs256IssuedAt, claims.IssuedAt);
        Assert.Null(claims.NotBefore);
        Assert.Equal(
            ["all-*", "all-ci-*", "cache-ro", "cache-rw", "team-*"],
            claims.Caches.Select(c => c.Key.Pattern).ToArray());
    }

    [Fact]
    public void Rs256VectorClaims()
    {
        TokenClaims claims = TestJwt.AssertValid(Rs256Token, Rs256Verifier(TestJwt.Now));
        Assert.Equal(Rs256IssuedAt, claims.IssuedAt);
        Assert.Equal(0, claims.NotBefore);
    }

    [Fact]
    public void VectorsIssuedInTheFutureAreRejected()
    {
        TestJwt.AssertInvalid(Hs256Token, Hs256Verifier(Hs256IssuedAt - 1));
        TestJwt.AssertValid(Hs256Token, Hs256Verifier(Hs256IssuedAt));
        TestJwt.AssertInvalid(Rs256Token, Rs256Verifier(Rs256IssuedAt - 1));
        TestJwt.AssertValid(Rs256Token, Rs256Verifier(Rs256IssuedAt));
    }

    [Fact]
    public void VectorsExpireAtTheirExp()
    {
        TestJwt.AssertValid(Hs256Token, Hs256Verifier(4102324986));
        TestJwt.AssertInvalid(Hs256Token, Hs256Verifier(4102324987));
    }

    [Fact]
    public void Rs256VectorVerifiesWithPublicKeyOnly()
    {
        using RSA rsa = RSA.Create();
        rsa.ImportFromPem(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Rs256SecretBase64)));
        JwtKey spki = JwtKey.FromBase64Setting(JwtKey.Rs256PubkeySetting, TestRsa.Base64(rsa.ExportSubjectPublicKeyInfoPem()));
        JwtKey pkcs1 = JwtKey.Rs256PublicKey(rsa.ExportRSAPublicKeyPem());

        TestJwt.AssertValid(Rs256Token, TestJwt.Verifier(key: spki));
        TestJwt.AssertValid(Rs256Token, TestJwt.Verifier(key: pkcs1));
        Assert.False(spki.CanSign);
    }

    [Fact]
    public void VectorsFailWithTheOtherKey()
    {
        Assert.Contains("alg", TestJwt.AssertInvalid(Hs256Token, Rs256Verifier(TestJwt.Now)), StringComparison.Ordinal);
        Assert.Contains("alg", TestJwt.AssertInvalid(Rs256Token, Hs256Verifier(TestJwt.Now)), StringComparison.Ordinal);
        Assert.Equal("bad signature", TestJwt.AssertInvalid(Hs256Token, TestJwt.Verifier()));
    }

    /// <summary>
    /// Not from attic itself: a fork of its token crate (namespace renamed to <c>https://jwt.bunker.rs/v1</c>)
    /// re-signed the HS256 vector with a secret that is not valid UTF-8
    /// (<c>printf '\xc3\x28 &lt;- invalid utf8' | base64</c>). The signature must verify with the raw bytes; the token
    /// is then rejected only because the Attic namespace claim is missing.
    /// </summary>
    [Fact]
    public void NonUtf8Hs256SecretIsUsedAsRawBytes()
    {
        const string token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZW93IiwiZXhwIjo0MTAyMzI0OTg2LCJuYmYiOjAsImlhdCI6MTcyODIzMjk5NiwiaHR0cHM6Ly9qd3QuYnVua2VyLnJzL3YxIjp7ImNhY2hlcyI6eyJhbGwtKiI6eyJyIjoxfSwiYWxsLWNpLSoiOnsidyI6MX0sImNhY2hlLXJ3Ijp7InIiOjEsInciOjF9LCJjYWNoZS1ybyI6eyJyIjoxfSwidGVhbS0qIjp7InIiOjEsInciOjEsImNjIjoxfX19fQ.Zfy58eg1b_-d64s-NEN2QUJ_fZYTHA8oepfjlbKXJVk";
        JwtKey key = JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, "wyggPC0gaW52YWxpZCB1dGY4");

        string failure = TestJwt.AssertInvalid(token, TestJwt.Verifier(key: key));
        Assert.Equal("missing claim 'https://jwt.attic.rs/v1'", failure);
        Assert.Equal("bad signature", TestJwt.AssertInvalid(token, TestJwt.Verifier()));
    }

    private static TokenVerifier Hs256Verifier(long now) => TestJwt.Verifier(
        now, key: JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, Hs256SecretBase64));

    private static TokenVerifier Rs256Verifier(long now) => TestJwt.Verifier(
        now, key: JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, Rs256SecretBase64));
}
