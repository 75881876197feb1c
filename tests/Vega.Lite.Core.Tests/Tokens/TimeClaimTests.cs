using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

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
    [InlineData("0", 0)]
    [InlineData("1750000000", Now)]
    [InlineData("2147483647", 2147483647)]
    [InlineData("4294967295", 4294967295)]
    public void IntegerSecondsUpTo2106AreTakenAsTheyAre(string json, long expected)
    {
        TokenClaims claims = TestJwt.AssertValid(Token($"\"nbf\":0,\"iat\":{json}"), TestJwt.Verifier(uint.MaxValue));
        Assert.Equal(expected, claims.IssuedAt);
    }

    /// <summary>
    /// Values that do not mean the time they spell: negative (which jwt-simple's coarsetime would wrap to 2106, a token
    /// that never expires), fractional or exponent forms, and seconds past 2^32 - 1 (which it would wrap to a time
    /// near 1970). Each makes the token invalid, whichever claim holds it.
    /// </summary>
    [Theory]
    [InlineData("null")]
    [InlineData("\"1750000000\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("1e400")]
    [InlineData("1e30")]
    [InlineData("1.75e9")]
    [InlineData("1750000000.9")]
    [InlineData("1750000000.0")]
    [InlineData("-0")]
    [InlineData("-0.5")]
    [InlineData("-1")]
    [InlineData("-2147483648")]
    [InlineData("-9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("4294967296")]
    [InlineData("4294967301")]
    [InlineData("9007199254740992")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616")]
    public void TimeClaimsThatDoNotSpellTheirTimeInvalidateTheToken(string json)
    {
        TestJwt.AssertInvalid(Token($"\"exp\":{json}"));
        TestJwt.AssertInvalid(Token($"\"nbf\":{json}"));
        TestJwt.AssertInvalid(Token($"\"iat\":{json}"));
    }
}
