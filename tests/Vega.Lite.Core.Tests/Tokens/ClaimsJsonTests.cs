using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class ClaimsJsonTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(TestJwt.Now);

    private static CacheNamePattern[] P(params string[] patterns) => [.. patterns.Select(CacheNamePattern.Parse)];

    /// <summary>
    /// Book example: <c>atticadm make-token --sub alice --validity '3 months' --pull 'alice-*' --push 'alice-*'
    /// --create-cache 'alice-*' --dump-claims</c> (validity passed here as 90 days).
    /// </summary>
    [Fact]
    public void MakeTokenExample()
    {
        TokenClaims claims = AliceExample();

        Assert.Equal(
            """{"exp":1757776000,"nbf":1750000000,"sub":"alice","https://jwt.attic.rs/v1":{"caches":{"alice-*":{"r":1,"w":1,"cc":1}}}}""",
            TokenSigner.ClaimsJson(claims));
    }

    /// <summary>The claims of `atticadm make-token --sub alice --validity 90d --pull/--push/--create-cache "alice-*"`.</summary>
    private static TokenClaims AliceExample() => TokenClaims.ForMakeToken(
        new MakeTokenRequest
        {
            Subject = "alice",
            Validity = TimeSpan.FromDays(90),
            Pull = P("alice-*"),
            Push = P("alice-*"),
            CreateCache = P("alice-*"),
        },
        Now);

    /// <summary>Independent reference computed with Python's hmac/base64 over the JSON above.</summary>
    [Fact]
    public void MakeTokenExampleSignsToReferenceToken()
    {
        TokenClaims claims = AliceExample();
        JwtKey key = JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, AtticVectorTests.Hs256SecretBase64);

        Assert.Equal(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3NTc3NzYwMDAsIm5iZiI6MTc1MDAwMDAwMCwic3ViIjoiYWxpY2UiLCJodHRwczovL2p3dC5hdHRpYy5ycy92MSI6eyJjYWNoZXMiOnsiYWxpY2UtKiI6eyJyIjoxLCJ3IjoxLCJjYyI6MX19fX0.hBPEh2O9vnZ5AR__UvUP1edwjLDG8VjvS9NAjVIkonY",
            new TokenSigner(key).Sign(claims));
    }

    [Fact]
    public void PatternsKeepFirstInsertionOrderAcrossFlags()
    {
        // make_token.rs doc example: --pull "dev-*" --push "dev-*" --pull "prod"
        TokenClaims claims = TokenClaims.ForMakeToken(
            new MakeTokenRequest
            {
                Subject = "alice",
                Validity = TimeSpan.FromSeconds(1),
                Pull = P("dev-*", "prod"),
                Push = P("dev-*"),
                DestroyCache = P("new", "dev-*"),
                ConfigureCacheRetention = P("new"),
                Delete = P("prod"),
                ConfigureCache = P("x"),
            },
            Now);

        Assert.Equal(
            """{"exp":1750000001,"nbf":1750000000,"sub":"alice","https://jwt.attic.rs/v1":{"caches":{"dev-*":{"r":1,"w":1,"cd":1},"prod":{"r":1,"d":1},"x":{"cr":1},"new":{"cq":1,"cd":1}}}}""",
            TokenSigner.ClaimsJson(claims));
    }

    [Fact]
    public void NoPatternsGivesEmptyCaches()
    {
        TokenClaims claims = TokenClaims.ForMakeToken(new MakeTokenRequest { Subject = "s", Validity = TimeSpan.Zero }, Now);
        Assert.Equal(
            """{"exp":1750000000,"nbf":1750000000,"sub":"s","https://jwt.attic.rs/v1":{"caches":{}}}""",
            TokenSigner.ClaimsJson(claims));
    }

    [Fact]
    public void BindingAddsIssuerAndAudienceInJwtSimpleFieldOrder()
    {
        TokenClaims claims = TokenClaims.ForMakeToken(
                new MakeTokenRequest { Subject = "s", Validity = TimeSpan.FromSeconds(5), Pull = P("*") }, Now)
            .WithBinding("https://issuer", ["b", "a"]);
        Assert.Equal(
            """{"exp":1750000005,"nbf":1750000000,"iss":"https://issuer","sub":"s","aud":["b","a"],"https://jwt.attic.rs/v1":{"caches":{"*":{"r":1}}}}""",
            TokenSigner.ClaimsJson(claims));
        Assert.Equal(claims.Caches, claims.WithBinding(null, null).Caches);
    }

    [Fact]
    public void AllClaimsAndSerdeEscaping()
    {
        var claims = new TokenClaims([])
        {
            IssuedAt = 1,
            ExpiresAt = 3,
            NotBefore = 2,
            Subject = "q\"b\\s/\n\t\u0001\u007fü",
            Audience = ["x"],
        };
        Assert.Equal(
            "{\"iat\":1,\"exp\":3,\"nbf\":2,\"sub\":\"q\\\"b\\\\s/\\n\\t\\u0001\u007fü\",\"aud\":[\"x\"],\"https://jwt.attic.rs/v1\":{\"caches\":{}}}",
            TokenSigner.ClaimsJson(claims));
    }

    [Fact]
    public void ExpiryIsFlooredToWholeSeconds()
    {
        TokenClaims claims = TokenClaims.ForMakeToken(
            new MakeTokenRequest { Subject = "s", Validity = TimeSpan.FromMilliseconds(1999) },
            Now.AddMilliseconds(500));
        Assert.Equal(TestJwt.Now, claims.NotBefore);
        Assert.Equal(TestJwt.Now + 2, claims.ExpiresAt);
    }

    [Fact]
    public void InvalidValidityIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenClaims.ForMakeToken(
            new MakeTokenRequest { Subject = "s", Validity = TimeSpan.FromSeconds(-1) }, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenClaims.ForMakeToken(
            new MakeTokenRequest { Subject = "s", Validity = TimeSpan.FromDays(365 * 100) }, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenClaims.ForMakeToken(
            new MakeTokenRequest { Subject = "s", Validity = TimeSpan.MaxValue }, Now));
    }

    [Fact]
    public void TimeClaimsAreRangeChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenClaims([]) { ExpiresAt = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenClaims([]) { NotBefore = 1L << 32 });
    }
}
