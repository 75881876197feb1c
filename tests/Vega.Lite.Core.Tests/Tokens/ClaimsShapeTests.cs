using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class ClaimsShapeTests
{
    private static string WithCaches(string cachesJson) => TestJwt.Hs256(TestJwt.Payload(cachesJson));

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("1e0")]
    [InlineData("\"1\"")]
    [InlineData("null")]
    [InlineData("[1]")]
    public void PermissionBitsMustBeIntegerZeroOrOne(string value)
    {
        foreach (string key in new[] { "r", "w", "d", "cc", "cr", "cq", "cd" })
        {
            string failure = TestJwt.AssertInvalid(WithCaches($$$"""{"c":{"{{{key}}}":{{{value}}}}}"""));
            Assert.Contains("must be the integer 0 or 1", failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AllBitsParse()
    {
        TokenClaims claims = TestJwt.AssertValid(WithCaches("""{"c":{"r":1,"w":0,"d":1,"cc":1,"cr":1,"cq":1,"cd":1,"zz":true}}"""));
        Assert.Equal(new CachePermission(true, false, true, true, true, true, true), claims.GetPermissionForCache("c"));
    }

    [Fact]
    public void DuplicateBitIsRejected() => TestJwt.AssertInvalid(WithCaches("""{"c":{"r":1,"r":1}}"""));

    [Fact]
    public void PermissionMustBeAnObject()
    {
        TestJwt.AssertInvalid(WithCaches("""{"c":1}"""));
        TestJwt.AssertInvalid(WithCaches("""{"c":[1,1]}"""));
        TestJwt.AssertInvalid(WithCaches("""{"c":null}"""));
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("x!")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void InvalidPatternKeyInvalidatesTheToken(string key)
    {
        string failure = TestJwt.AssertInvalid(WithCaches($$$"""{"ok":{"r":1},"{{{key}}}":{"r":1}}"""));
        Assert.StartsWith("invalid cache name pattern", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void NamespaceAndCachesAreRequired()
    {
        Assert.Equal("missing claim 'https://jwt.attic.rs/v1'", TestJwt.AssertInvalid(TestJwt.Hs256("""{"sub":"x"}""")));
        Assert.Equal("missing 'caches'", TestJwt.AssertInvalid(TestJwt.Hs256("""{"https://jwt.attic.rs/v1":{}}""")));
        TestJwt.AssertInvalid(TestJwt.Hs256("""{"https://jwt.attic.rs/v1":null}"""));
        TestJwt.AssertInvalid(TestJwt.Hs256("""{"https://jwt.attic.rs/v1":[]}"""));
        TestJwt.AssertInvalid(TestJwt.Hs256("""{"https://jwt.attic.rs/v1":{"caches":null}}"""));
        TestJwt.AssertInvalid(TestJwt.Hs256("""{"https://jwt.attic.rs/v1":{"caches":[]}}"""));
        TestJwt.AssertInvalid(TestJwt.Hs256("""{"https://jwt.attic.rs/v1":{"caches":{},"caches":{}}}"""));
    }

    [Fact]
    public void EmptyCachesAndUnknownKeysAreFine()
    {
        TokenClaims claims = TestJwt.AssertValid(TestJwt.Hs256(
            """{"custom":[1,{"a":null}],"custom":2,"https://jwt.attic.rs/v1":{"v":2,"caches":{}}}"""));
        Assert.Empty(claims.Caches);
    }

    [Theory]
    [InlineData("""{"exp":4102324986,"exp":4102324986}""")]
    [InlineData("""{"sub":"a","sub":"a"}""")]
    [InlineData("""{"sub":5}""")]
    [InlineData("""{"iss":[]}""")]
    [InlineData("""{"jti":5}""")]
    [InlineData("""{"nonce":{}}""")]
    [InlineData("""{"aud":5}""")]
    [InlineData("""{"aud":null}""")]
    [InlineData("""{"aud":["a",1]}""")]
    public void KnownClaimsAreTypeChecked(string claimsPrefix)
    {
        string payload = claimsPrefix[..^1] + ",\"https://jwt.attic.rs/v1\":{\"caches\":{}}}";
        TestJwt.AssertInvalid(TestJwt.Hs256(payload));
    }

    [Fact]
    public void DuplicateNamespaceIsRejected() => TestJwt.AssertInvalid(TestJwt.Hs256(
        """{"https://jwt.attic.rs/v1":{"caches":{}},"https://jwt.attic.rs/v1":{"caches":{}}}"""));

    [Fact]
    public void EscapedKeysAreUnescapedLikeSerde()
    {
        TokenClaims claims = TestJwt.AssertValid(TestJwt.Hs256(
            """{"\u0073ub":"me","https:\/\/jwt.attic.rs\/v1":{"caches":{"c\u002a":{"\u0072":1}}}}"""));
        Assert.Equal("me", claims.Subject);
        Assert.True(claims.GetPermissionForCache("cx").Pull);
    }

    [Fact]
    public void NullStringClaimsMeanAbsent()
    {
        TokenClaims claims = TestJwt.AssertValid(TestJwt.Hs256(
            """{"sub":null,"iss":null,"jti":null,"https://jwt.attic.rs/v1":{"caches":{}}}"""));
        Assert.Null(claims.Subject);
        Assert.Null(claims.Issuer);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{")]
    [InlineData("{\"https://jwt.attic.rs/v1\":{\"caches\":{}}} x")]
    [InlineData("{\"https://jwt.attic.rs/v1\":{\"caches\":{},}}")]
    [InlineData("{/*c*/\"https://jwt.attic.rs/v1\":{\"caches\":{}}}")]
    public void PayloadMustBeStrictJsonObject(string payload) => TestJwt.AssertInvalid(TestJwt.Hs256(payload));
}
