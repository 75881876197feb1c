namespace Vega.Lite.Core.Tests.Tokens;

public sealed class BindingTests
{
    private static string Token(string claims) => TestJwt.Hs256(TestJwt.Payload(extraClaims: claims));

    [Fact]
    public void BoundIssuerIsRequiredAndExact()
    {
        var verifier = TestJwt.Verifier(issuer: "attic");
        Assert.Equal("missing required 'iss'", TestJwt.AssertInvalid(Token(string.Empty), verifier));
        Assert.Equal("missing required 'iss'", TestJwt.AssertInvalid(Token("\"iss\":null"), verifier));
        TestJwt.AssertInvalid(Token("\"iss\":\"Attic\""), verifier);
        TestJwt.AssertInvalid(Token("\"iss\":\"attic \""), verifier);
        Assert.Equal("attic", TestJwt.AssertValid(Token("\"iss\":\"attic\""), verifier).Issuer);
    }

    [Fact]
    public void IssuerIsIgnoredWhenNotBound() => TestJwt.AssertValid(Token("\"iss\":\"anyone\""));

    [Fact]
    public void BoundAudiencesAreRequiredAndMustIntersect()
    {
        var verifier = TestJwt.Verifier(audiences: ["a", "b"]);
        Assert.Equal("missing required 'aud'", TestJwt.AssertInvalid(Token(string.Empty), verifier));
        TestJwt.AssertInvalid(Token("\"aud\":\"c\""), verifier);
        TestJwt.AssertInvalid(Token("\"aud\":[\"c\",\"d\"]"), verifier);
        TestJwt.AssertInvalid(Token("\"aud\":[]"), verifier);
        TestJwt.AssertInvalid(Token("\"aud\":\"A\""), verifier);

        Assert.Equal(["b"], TestJwt.AssertValid(Token("\"aud\":\"b\""), verifier).Audience!);
        Assert.Equal(["c", "a"], TestJwt.AssertValid(Token("\"aud\":[\"c\",\"a\"]"), verifier).Audience!);
    }

    [Fact]
    public void EmptyBoundAudienceSetRejectsEverything()
    {
        var verifier = TestJwt.Verifier(audiences: []);
        TestJwt.AssertInvalid(Token("\"aud\":\"a\""), verifier);
        TestJwt.AssertInvalid(Token(string.Empty), verifier);
    }

    [Fact]
    public void AudienceIsIgnoredWhenNotBound()
    {
        TestJwt.AssertValid(Token("\"aud\":\"x\""));
        TestJwt.AssertValid(Token("\"aud\":[]"));
    }

    [Fact]
    public void IssuerAndAudienceTogether()
    {
        var verifier = TestJwt.Verifier(issuer: "i", audiences: ["a"]);
        TestJwt.AssertValid(Token("\"iss\":\"i\",\"aud\":[\"a\"]"), verifier);
        TestJwt.AssertInvalid(Token("\"iss\":\"i\""), verifier);
        TestJwt.AssertInvalid(Token("\"aud\":[\"a\"]"), verifier);
    }
}
