using System.Buffers.Text;
using System.Text;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class HeaderAndSignatureTests
{
    private static readonly string Payload = TestJwt.Payload("""{"c":{"r":1}}""");

    [Fact]
    public void Hs256TokenOnRs256VerifierIsRejected()
    {
        var rsaVerifier = TestJwt.Verifier(key: JwtKey.Rs256Secret(TestRsa.Pkcs1PrivatePem));
        string failure = TestJwt.AssertInvalid(TestJwt.Hs256(Payload), rsaVerifier);
        Assert.Equal("header 'alg' is 'HS256', expected 'RS256'", failure);
    }

    [Fact]
    public void Rs256TokenOnHs256VerifierIsRejected()
    {
        string token = new TokenSigner(JwtKey.Rs256Secret(TestRsa.Pkcs8PrivatePem)).Sign(new TokenClaims([]));
        Assert.Equal("header 'alg' is 'RS256', expected 'HS256'", TestJwt.AssertInvalid(token));
    }

    [Fact]
    public void AlgNoneIsRejected()
    {
        string unsigned = TestJwt.B64("""{"alg":"none","typ":"JWT"}""") + "." + TestJwt.B64(Payload) + ".";
        TestJwt.AssertInvalid(unsigned);
        TestJwt.AssertInvalid(TestJwt.Hs256(Payload, """{"alg":"none"}"""));
    }

    [Theory]
    [InlineData("""{"alg":"hs256"}""")]
    [InlineData("""{"alg":"HS256 "}""")]
    [InlineData("""{"alg":"HS512"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    [InlineData("""{"alg":null}""")]
    [InlineData("""{"alg":5}""")]
    [InlineData("""{"alg":"HS256","alg":"HS256"}""")]
    [InlineData("""{"alg":"HS256","typ":"JOSE"}""")]
    [InlineData("""{"alg":"HS256","typ":"xJWT"}""")]
    [InlineData("""{"alg":"HS256","typ":5}""")]
    [InlineData("""{"alg":"HS256","kid":5}""")]
    [InlineData("""{"alg":"HS256","jwk":{"kty":"oct"}}""")]
    [InlineData("""{"alg":"HS256","crit":"exp"}""")]
    [InlineData("""["HS256"]""")]
    [InlineData("not json")]
    public void BadHeadersAreRejected(string header) => TestJwt.AssertInvalid(TestJwt.Hs256(Payload, header));

    [Theory]
    [InlineData("""{"alg":"HS256"}""")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""")]
    [InlineData("""{"typ":"jwt","alg":"HS256"}""")]
    [InlineData("""{"alg":"HS256","typ":"at+jwt"}""")]
    [InlineData("""{"alg":"HS256","typ":null}""")]
    [InlineData("""{"alg":"HS256","kid":"key-1","cty":null,"crit":["x"],"x5c":null,"whatever":[1,{}]}""")]
    [InlineData("""{"alg":"HS256","other":1,"other":2}""")]
    public void AcceptableHeaders(string header) => TestJwt.AssertValid(TestJwt.Hs256(Payload, header));

    [Fact]
    public void TamperedPayloadFailsSignature()
    {
        string[] parts = TestJwt.Hs256(Payload).Split('.');
        string tampered = parts[0] + "." + TestJwt.B64(TestJwt.Payload("""{"c":{"r":1,"w":1}}""")) + "." + parts[2];
        Assert.Equal("bad signature", TestJwt.AssertInvalid(tampered));
    }

    [Fact]
    public void TamperedSignatureFails()
    {
        string token = TestJwt.Hs256(Payload);
        byte[] signature = Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));
        signature[0] ^= 1;
        string tampered = token[..(token.LastIndexOf('.') + 1)] + Base64Url.EncodeToString(signature);
        Assert.Equal("bad signature", TestJwt.AssertInvalid(tampered));
        Assert.Equal("bad signature", TestJwt.AssertInvalid(token[..(token.LastIndexOf('.') + 1)]));
    }

    [Fact]
    public void WrongSecretFails() =>
        Assert.Equal("bad signature", TestJwt.AssertInvalid(TestJwt.Hs256(Payload, secret: "other"u8.ToArray())));

    [Fact]
    public void SegmentCountMustBeThree()
    {
        string token = TestJwt.Hs256(Payload);
        TestJwt.AssertInvalid(token + ".extra");
        TestJwt.AssertInvalid(token[..token.LastIndexOf('.')]);
        TestJwt.AssertInvalid(string.Empty);
        TestJwt.AssertInvalid("..");
        TestJwt.AssertInvalid(null!);
    }

    [Fact]
    public void SegmentsMustBeCanonicalUnpaddedBase64Url()
    {
        string token = TestJwt.Hs256(Payload);
        string[] parts = token.Split('.');
        TestJwt.AssertInvalid(parts[0] + "=." + parts[1] + "." + parts[2]);
        TestJwt.AssertInvalid(parts[0] + "." + parts[1] + "." + parts[2] + "=");
        TestJwt.AssertInvalid(" " + token);
        TestJwt.AssertInvalid(token + "\n");

        string standardAlphabet = parts[2].Replace('-', '+').Replace('_', '/');
        if (standardAlphabet != parts[2])
        {
            TestJwt.AssertInvalid(parts[0] + "." + parts[1] + "." + standardAlphabet);
        }
    }

    [Fact]
    public void NonCanonicalTrailingBitsAreRejected()
    {
        // A 32-byte HMAC tag is 43 base64url chars; the last char carries 2 unused bits that must be zero.
        string token = TestJwt.Hs256(Payload);
        int last = token.Length - 1;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.IndexOf(token[last], StringComparison.Ordinal);
        string nonCanonical = token[..last] + alphabet[value | 1];
        TestJwt.AssertInvalid(nonCanonical);
    }

    [Fact]
    public void HeaderSegmentLimitIs8192Characters()
    {
        string Header(int padLength) => $$"""{"alg":"HS256","p":"{{new string('x', padLength)}}"}""";
        int overhead = TestJwt.B64(Header(0)).Length;
        int padFor8192 = (8192 - overhead) / 4 * 3;
        string atLimit = TestJwt.Hs256(Payload, Header(padFor8192));
        Assert.True(atLimit.IndexOf('.', StringComparison.Ordinal) <= 8192);
        TestJwt.AssertValid(atLimit);

        string overLimit = TestJwt.Hs256(Payload, Header(padFor8192 + 3));
        Assert.True(overLimit.IndexOf('.', StringComparison.Ordinal) > 8192);
        Assert.Equal("header too long", TestJwt.AssertInvalid(overLimit));
    }

    [Fact]
    public void SignedHeaderMatchesJwtSimple()
    {
        string token = new TokenSigner(TestJwt.Key).Sign(new TokenClaims([]));
        string header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal))));
        Assert.Equal("""{"alg":"HS256","typ":"JWT"}""", header);

        string rsToken = new TokenSigner(JwtKey.Rs256Secret(TestRsa.Pkcs1PrivatePem)).Sign(new TokenClaims([]));
        string rsHeader = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(rsToken.AsSpan(0, rsToken.IndexOf('.', StringComparison.Ordinal))));
        Assert.Equal("""{"alg":"RS256","typ":"JWT"}""", rsHeader);
    }
}
