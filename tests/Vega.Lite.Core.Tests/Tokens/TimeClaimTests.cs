using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests;

public sealed class TimeClaimTests
{
    private const long Now = TestJwt.Now;

    private static string Token(string timeClaims) => TestJwt.Hs256(TestJwt.Payload(extraClaims: timeClaims));

    [Fact]
    public void ExpIsInclusiveWithZeroLeeway()
    {
        TestJwt.AssertValid(Token($"\"exp\":{Now}"));
        Assert.StartsWith("expired", TestJwt.AssertInvalid(Token($"\"exp\":{Now - 1}")), StringComparison.Ordinal);
        TestJwt.AssertInvalid(Token($"\"exp\":{Now}"), TestJwt.Verifier(Now + 1));
    }

    [Fact]
    public void ExpHasSubSecondPrecision()
    {
        var halfSecondLater = new TokenVerifier(TestJwt.Key, null, null, FixedTimeProvider.AtUnix(Now, TimeSpan.TicksPerSecond / 2));
        TestJwt.AssertInvalid(Token($"\"exp\":{Now}"), halfSecondLater);
        TestJwt.AssertValid(Token($"\"exp\":{Now + 1}"), halfSecondLater);
    }

    [Fact]
    public void NbfIsInclusiveWithZeroLeeway()
    {
        TestJwt.AssertValid(Token($"\"nbf\":{Now}"));
        Assert.StartsWith("not valid yet", TestJwt.AssertInvalid(Token($"\"nbf\":{Now + 1}")), StringComparison.Ordinal);
    }

    [Fact]
    public void IatMayNotBeInTheFuture()
    {
        TestJwt.AssertValid(Token($"\"iat\":{Now}"));
        Assert.StartsWith("issued in the future", TestJwt.AssertInvalid(Token($"\"iat\":{Now + 1}")), StringComparison.Ordinal);
    }

    [Fact]
    public void AllTimeClaimsAreOptional()
    {
        TokenClaims claims = TestJwt.AssertValid(Token(string.Empty));
        Assert.Null(claims.ExpiresAt);
        Assert.Null(claims.NotBefore);
        Assert.Null(claims.IssuedAt);
    }

    [Theory]
    [InlineData("1750000000.9", Now)]
    [InlineData("1.75e9", Now)]
    [InlineData("1750000000.0", Now)]
    [InlineData("-0", 0)]
    [InlineData("-0.5", 0)]
    [InlineData("-1", 4294967295)]
    [InlineData("4294967301", 5)]
    [InlineData("18446744073709551615", 4294967295)]
    [InlineData("18446744073709551616", 4294967295)]
    [InlineData("-9223372036854775808", 0)]
    [InlineData("-9223372036854775809", 0)]
    [InlineData("1e300", 4294967295)]
    public void NumericFormsFollowJwtSimple(string json, long expected)
    {
        TokenClaims claims = TestJwt.AssertValid(Token($"\"nbf\":0,\"iat\":{json}"), TestJwt.Verifier(uint.MaxValue));
        Assert.Equal(expected, claims.IssuedAt);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"1750000000\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("1e400")]
    public void NonNumericTimeClaimsInvalidateTheToken(string json)
    {
        TestJwt.AssertInvalid(Token($"\"exp\":{json}"));
        TestJwt.AssertInvalid(Token($"\"nbf\":{json}"));
        TestJwt.AssertInvalid(Token($"\"iat\":{json}"));
    }

    [Fact]
    public void NegativeExpWrapsToYear2106LikeAttic()
    {
        TokenClaims claims = TestJwt.AssertValid(Token("\"exp\":-1"));
        Assert.Equal(uint.MaxValue, claims.ExpiresAt);
    }

    [Fact]
    public void ExpBeyond2106WrapsAndIsExpired()
    {
        TestJwt.AssertInvalid(Token($"\"exp\":{(1L << 32) + Now + 100}"), TestJwt.Verifier(Now + 101));
        TestJwt.AssertValid(Token($"\"exp\":{(1L << 32) + Now + 100}"));
    }

    [Fact]
    public void FloatExpIsTruncated()
    {
        TestJwt.AssertValid(Token($"\"exp\":{Now}.999"));
        TestJwt.AssertInvalid(Token($"\"exp\":{Now - 1}.999"));
    }
}
