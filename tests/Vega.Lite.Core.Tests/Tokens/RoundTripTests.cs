using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class RoundTripTests
{
    private static TokenClaims SampleClaims() => TokenClaims.ForMakeToken(
        new MakeTokenRequest
        {
            Subject = "alice",
            Validity = TimeSpan.FromDays(30),
            Pull = [CacheNamePattern.Parse("alice-*"), CacheNamePattern.Parse("shared")],
            Push = [CacheNamePattern.Parse("alice-*")],
            CreateCache = [CacheNamePattern.Parse("alice-*")],
        },
        DateTimeOffset.FromUnixTimeSeconds(TestJwt.Now - 10));

    private static void AssertRoundTrip(JwtKey signingKey, JwtKey verifyingKey)
    {
        string token = new TokenSigner(signingKey).Sign(SampleClaims().WithBinding("iss-1", ["aud-1", "aud-2"]));
        TokenClaims claims = TestJwt.AssertValid(token, TestJwt.Verifier(issuer: "iss-1", audiences: ["aud-2"], key: verifyingKey));

        Assert.Equal("alice", claims.Subject);
        Assert.Equal(TestJwt.Now - 10, claims.NotBefore);
        Assert.Equal(TestJwt.Now - 10 + (30 * 86400), claims.ExpiresAt);
        Assert.Null(claims.IssuedAt);
        Assert.Equal(["aud-1", "aud-2"], claims.Audience!);
        Assert.Equal(new CachePermission(true, true, false, true, false, false, false), claims.GetPermissionForCache("alice-x"));
        Assert.Equal(CachePermission.None.WithPull(), claims.GetPermissionForCache("shared"));
        Assert.Equal(CachePermission.None, claims.GetPermissionForCache("bob"));
    }

    [Fact]
    public void Hs256() => AssertRoundTrip(TestJwt.Key, JwtKey.Hs256(TestJwt.Secret));

    [Fact]
    public void Hs256WithNonUtf8Secret()
    {
        JwtKey key = JwtKey.Hs256([0xc3, 0x28, 0xff, 0x00]);
        AssertRoundTrip(key, JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, Convert.ToBase64String([0xc3, 0x28, 0xff, 0x00])));
    }

    [Fact]
    public void Rs256Pkcs1PrivateKey() =>
        AssertRoundTrip(JwtKey.Rs256Secret(TestRsa.Pkcs1PrivatePem), JwtKey.Rs256PublicKey(TestRsa.SpkiPublicPem));

    [Fact]
    public void Rs256Pkcs8PrivateKey() =>
        AssertRoundTrip(JwtKey.Rs256Secret(TestRsa.Pkcs8PrivatePem), JwtKey.Rs256PublicKey(TestRsa.Pkcs1PublicPem));

    [Fact]
    public void Rs256ViaBase64Settings()
    {
        JwtKey secret = JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, TestRsa.Base64(TestRsa.Pkcs1PrivatePem));
        JwtKey pkcs8 = JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, TestRsa.Base64(TestRsa.Pkcs8PrivatePem));
        JwtKey pub = JwtKey.FromBase64Setting(JwtKey.Rs256PubkeySetting, TestRsa.Base64(TestRsa.SpkiPublicPem));
        AssertRoundTrip(secret, pub);
        AssertRoundTrip(pkcs8, secret);
        AssertRoundTrip(secret, pkcs8);
    }

    [Fact]
    public void PubkeyOnlyCannotSign()
    {
        JwtKey pub = JwtKey.Rs256PublicKey(TestRsa.SpkiPublicPem);
        Assert.False(pub.CanSign);
        Assert.Equal(JwtKey.RS256, pub.Algorithm);
        var signer = new TokenSigner(pub);
        var error = Assert.Throws<InvalidOperationException>(() => signer.Sign(SampleClaims()));
        Assert.Equal("Pubkey-only JWT authentication cannot create signed JWTs", error.Message);
    }

    [Fact]
    public void SigningKeysCanSign()
    {
        Assert.True(TestJwt.Key.CanSign);
        Assert.Equal(JwtKey.HS256, TestJwt.Key.Algorithm);
        Assert.True(JwtKey.Rs256Secret(TestRsa.Pkcs1PrivatePem).CanSign);
    }

    [Fact]
    public void ConcurrentRs256VerificationIsSafe()
    {
        JwtKey key = JwtKey.Rs256Secret(TestRsa.Pkcs8PrivatePem);
        string token = new TokenSigner(key).Sign(SampleClaims());
        string forged = token[..^4] + (token[^4] == 'A' ? "BAAA" : "AAAA");
        TokenVerifier verifier = TestJwt.Verifier(key: key);
        int good = 0;
        int bad = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            bool expectValid = i % 4 != 0;
            bool ok = verifier.TryVerify(expectValid ? token : forged, out _, out _);
            if (ok == expectValid)
            {
                Interlocked.Increment(ref good);
            }
            else
            {
                Interlocked.Increment(ref bad);
            }
        });
        Assert.Equal(0, bad);
        Assert.Equal(400, good);
    }
}
