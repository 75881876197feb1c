using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class AuthorizationHeaderTests
{
    // token/src/util.rs, test_parse_authorization_header
    [Theory]
    [InlineData("Basic c29tZXVzZXI6c29tZXBhc3M=", "somepass")]
    [InlineData("baSIC c29tZXVzZXI6c29tZXBhc3M=", "somepass")]
    [InlineData("bearer some-token", "some-token")]
    public void AtticCases(string header, string expected) => Assert.Equal(expected, AuthorizationHeader.ExtractToken(header));

    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER x", "x")]
    [InlineData("bEaReR x y", "x y")]
    [InlineData("bearer  two-spaces", " two-spaces")]
    [InlineData("bearer ", "")]
    [InlineData("bearer x\t", "x\t")]
    [InlineData("BASIC dXNlcjpwYTpzcw==", "pa:ss")]
    [InlineData("Basic OnBhc3M=", "pass")]
    [InlineData("Basic dXNlcjo=", "")]
    public void MoreAcceptedForms(string header, string expected) => Assert.Equal(expected, AuthorizationHeader.ExtractToken(header));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bearer")]
    [InlineData("Bearerabc")]
    [InlineData("bearer\tabc")]
    [InlineData(" bearer abc")]
    [InlineData("xbearer abc")]
    [InlineData("Token abc")]
    [InlineData("Digest abc")]
    [InlineData("Basic !!!")]
    [InlineData("Basic c29tZXVzZXI6c29tZXBhc3M")]
    [InlineData("Basic c29tZXVzZXI6c29tZXBhc3N=")]
    [InlineData("Basic  c29tZXVzZXI6c29tZXBhc3M=")]
    [InlineData("Basic c29tZXVzZXI6c29tZXBhc3M= ")]
    [InlineData("Basic c29tZXVzZXI=")]
    [InlineData("Basic ")]
    [InlineData("Basic wyg6eA==")]
    [InlineData("bearer tök")]
    [InlineData("bearer a\nb")]
    public void MalformedHeadersGiveNull(string? header) => Assert.Null(AuthorizationHeader.ExtractToken(header));
}
