using Vega.Lite.Core.Nix;

namespace Vega.Lite.Core.Tests.Nix;

public sealed class NarInfoParseTests
{
    private static NarInfo ParseOk(string text)
    {
        Assert.True(NarInfo.TryParse(text, out NarInfo? info, out string? error), error);
        Assert.Null(error);
        return info!;
    }

    private static string ParseError(string text)
    {
        Assert.False(NarInfo.TryParse(text, out NarInfo? info, out string? error));
        Assert.Null(info);
        Assert.False(string.IsNullOrEmpty(error));
        return error!;
    }

    [Fact]
    public void ProbeOut_ParsesEveryField()
    {
        NarInfo info = ParseOk(NarInfoSamples.ProbeOut);
        Assert.Equal("/nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-probe-out", info.StorePath);
        Assert.Equal("nar/0a65vg167l1danf2jvpgrzikgkb9wfr6pqvcbzrm2ny7281bqr3c.nar.xz", info.Url);
        Assert.Equal("xz", info.Compression);
        Assert.Equal("sha256:0a65vg167l1danf2jvpgrzikgkb9wfr6pqvcbzrm2ny7281bqr3c", info.FileHash);
        Assert.Equal(268, info.FileSize);
        Assert.Equal("sha256:02lkdfpsx6xpqlvn3v9xpzdxiz1x7jxj1fj6nxkyqbpbxsrpijx8", info.NarHash.ToNix32String());
        Assert.Equal(752, info.NarSize);
        Assert.Equal(["2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt"], info.References);
        Assert.Equal("my88d3n01zd4c7c8jiamfjbykxcq0zx6-probe-out.drv", info.Deriver);
        Assert.Null(info.System);
        Assert.Equal([NarInfoSamples.Sig], info.Sigs);
        Assert.Null(info.Ca);
    }

    [Fact]
    public void DepTxt_ParsesEmptyReferencesAndCa()
    {
        NarInfo info = ParseOk(NarInfoSamples.DepTxt);
        Assert.Empty(info.References);
        Assert.Null(info.Deriver);
        Assert.Equal("text:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr", info.Ca);
        Assert.Equal(128, info.NarSize);
    }

    [Fact]
    public void Utf8Overload_ParsesAndRejectsInvalidUtf8()
    {
        Assert.True(NarInfo.TryParse(System.Text.Encoding.UTF8.GetBytes(NarInfoSamples.ProbeOut), out NarInfo? info, out _));
        Assert.Equal(752, info!.NarSize);
        Assert.False(NarInfo.TryParse([0x53, 0xff, 0x0a], out _, out string? error));
        Assert.Equal("The narinfo is not valid UTF-8.", error);
    }

    [Fact]
    public void Minimal_GetsNixDefaults()
    {
        NarInfo info = ParseOk(NarInfoSamples.Minimal());
        Assert.Equal("bzip2", info.Compression);
        Assert.Null(info.FileHash);
        Assert.Null(info.FileSize);
        Assert.Empty(info.References);
        Assert.Empty(info.Sigs);
        Assert.Null(info.Deriver);
        Assert.Null(info.Ca);
    }

    [Theory]
    [InlineData("StorePath")]
    [InlineData("URL")]
    [InlineData("NarHash")]
    [InlineData("NarSize")]
    public void MissingRequiredField_IsNamed(string field)
    {
        string text = string.Concat(NarInfoSamples.Minimal().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(line => line + "\n"));
        Assert.Equal($"The narinfo lacks the required field '{field}'.", ParseError(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void NarSize_MustBeAPositiveInteger(string value)
    {
        string text = NarInfoSamples.Minimal().Replace("NarSize: 128\n", $"NarSize: {value}\n", StringComparison.Ordinal);
        Assert.Contains("must be a positive integer", ParseError(text));
    }

    [Theory]
    [InlineData("FileSize: -1\n")]
    [InlineData("FileSize: x\n")]
    public void FileSize_MustBeANonNegativeInteger(string line)
    {
        Assert.Contains("invalid FileSize", ParseError(NarInfoSamples.Minimal(line)));
    }

    [Fact]
    public void FileSize_ZeroIsAccepted() => Assert.Equal(0, ParseOk(NarInfoSamples.Minimal("FileSize: 0\n")).FileSize);

    [Theory]
    [InlineData("sha256:xyz", "Invalid length for SHA-256 string")]
    [InlineData("14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", "lacks a colon")]
    [InlineData("sha1:2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "Unsupported hash algorithm")]
    public void InvalidNarHash_IsRejected(string value, string reason)
    {
        string text = NarInfoSamples.Minimal().Replace(
            "NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", "NarHash: " + value, StringComparison.Ordinal);
        string error = ParseError(text);
        Assert.StartsWith("Line 3: invalid NarHash: ", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void HexNarHash_IsAcceptedAsAtticWritesIt()
    {
        string text = NarInfoSamples.Minimal().Replace(
            "sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf",
            "sha256:ae45042aef5b148835db02d045fe89b4c09ff9e476dab001a14bc0322d3f2093",
            StringComparison.Ordinal);
        NarInfo info = ParseOk(text);
        Assert.Equal("sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", info.NarHash.ToNix32String());
        Assert.Contains("NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf\n", info.Render());
    }

    [Fact]
    public void FileHash_IsParsedAndCanonicalised()
    {
        NarInfo info = ParseOk(NarInfoSamples.Minimal("FileHash: sha256-rkUEKu9bFIg12wLQRf6JtMCf+eR22rABoUvAMi0/IJM=\n"));
        Assert.Equal("sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", info.FileHash);
        Assert.Contains("invalid FileHash", ParseError(NarInfoSamples.Minimal("FileHash: nope\n")));
    }

    [Theory]
    [InlineData("/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2")]
    [InlineData("/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xrE-dep.txt")]
    [InlineData("2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt")]
    [InlineData("/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep txt")]
    [InlineData("")]
    public void InvalidStorePath_IsRejected(string value)
    {
        string text = NarInfoSamples.Minimal().Replace(
            "StorePath: /nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt", "StorePath: " + value, StringComparison.Ordinal);
        Assert.StartsWith("Line 1: invalid StorePath: Store path", ParseError(text));
    }

    [Theory]
    [InlineData("References: 2vgq3jvf76b54v3vrl0g9khzhlb73xr2\n", "invalid reference '2vgq3jvf76b54v3vrl0g9khzhlb73xr2'")]
    [InlineData("References: /nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n", "invalid reference")]
    [InlineData("References: 2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt 2vgq3jvf76b54v3vrl0g9khzhlb73xr2-a b\n", "invalid reference 'b'")]
    [InlineData("References: 2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt 2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n", "listed more than once")]
    public void InvalidReferences_AreRejected(string line, string reason)
    {
        Assert.Contains(reason, ParseError(NarInfoSamples.Minimal(line)));
    }

    [Fact]
    public void References_AreSplitOnRunsOfSpacesLikeNix()
    {
        NarInfo info = ParseOk(NarInfoSamples.Minimal(
            "References:  my88d3n01zd4c7c8jiamfjbykxcq0zx6-b   2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt \n"));
        Assert.Equal(["my88d3n01zd4c7c8jiamfjbykxcq0zx6-b", "2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt"], info.References);
    }

    [Fact]
    public void CrLf_IsRejected()
    {
        Assert.Equal(
            "Line 1: CRLF line endings are not allowed; lines must end with '\\n' only.",
            ParseError(NarInfoSamples.Minimal().Replace("\n", "\r\n", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("StorePath: /nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n", "StorePath")]
    [InlineData("URL: nar/y.nar\n", "URL")]
    [InlineData("NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf\n", "NarHash")]
    [InlineData("NarSize: 128\n", "NarSize")]
    [InlineData("References: \nReferences: \n", "References")]
    [InlineData("CA: text:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr\nCA: text:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr\n", "CA")]
    [InlineData("Compression: xz\nCompression: xz\n", "Compression")]
    [InlineData("Deriver: unknown-deriver\nDeriver: unknown-deriver\n", "Deriver")]
    public void DuplicateFields_AreRejected(string extra, string field)
    {
        Assert.EndsWith($"the field '{field}' appears more than once.", ParseError(NarInfoSamples.Minimal(extra)));
    }

    [Fact]
    public void MissingFinalNewline_IsRejected()
    {
        Assert.Equal("The narinfo must end with a newline ('\\n').", ParseError(NarInfoSamples.Minimal().TrimEnd('\n')));
    }

    [Fact]
    public void ByteOrderMark_IsRejected()
    {
        Assert.Equal("The narinfo must not start with a byte order mark.", ParseError("\uFEFF" + NarInfoSamples.Minimal()));
    }

    [Fact]
    public void Empty_IsRejected() => Assert.Equal("The narinfo is empty.", ParseError(string.Empty));

    [Fact]
    public void EmptyLine_IsRejected()
    {
        Assert.Equal("Line 5: empty lines are not allowed.", ParseError(NarInfoSamples.Minimal("\n")));
        Assert.Equal("Line 2: empty lines are not allowed.", ParseError("Foo: x\n\nURL: y\n"));
    }

    [Fact]
    public void KeyWithoutColonSpace_IsRejected()
    {
        // Nix 2.8 would swallow the next line as the value of "References:".
        Assert.Equal(
            "Line 5: expected ': ' (a colon and a space) after 'References'.",
            ParseError(NarInfoSamples.Minimal("References:\nSig: " + NarInfoSamples.Sig + "\n")));
        Assert.Contains("expected ': '", ParseError(NarInfoSamples.Minimal("Deriver:x\n")));
    }

    [Theory]
    [InlineData("garbage line\n", "expected 'Key: value'")]
    [InlineData(": value\n", "the key before ':' is empty.")]
    [InlineData("System: x86_64-linux\tfoo\n", "control character 0x09")]
    [InlineData("System: x86_64-linux\u007f\n", "control character 0x7f")]
    [InlineData("URL: nar/a b.nar\n", "appears more than once")]
    public void MalformedLines_AreRejected(string extra, string reason)
    {
        Assert.Contains(reason, ParseError(NarInfoSamples.Minimal(extra)));
    }

    [Fact]
    public void Url_MustBeNonEmptyWithoutSpaces()
    {
        Assert.Contains("the URL is empty.", ParseError(NarInfoSamples.Minimal().Replace("URL: nar/x.nar", "URL: ", StringComparison.Ordinal)));
        Assert.Contains("must not contain spaces", ParseError(NarInfoSamples.Minimal().Replace("URL: nar/x.nar", "URL: nar/x y", StringComparison.Ordinal)));
        Assert.Equal("https://cache.example/nar/x.nar?hash=abc", ParseOk(NarInfoSamples.Minimal()
            .Replace("URL: nar/x.nar", "URL: https://cache.example/nar/x.nar?hash=abc", StringComparison.Ordinal)).Url);
    }

    [Fact]
    public void UnknownKeys_AreIgnored()
    {
        NarInfo info = ParseOk(NarInfoSamples.Minimal("Foo: bar\nX-Anything: 1\nFoo: again\n"));
        Assert.Equal(128, info.NarSize);
    }

    [Theory]
    [InlineData("Compression: zstd\n", "zstd")]
    [InlineData("Compression: none\n", "none")]
    [InlineData("Compression: br\n", "br")]
    [InlineData("Compression: \n", "bzip2")]
    public void Compression_KnownValues(string line, string expected)
    {
        Assert.Equal(expected, ParseOk(NarInfoSamples.Minimal(line)).Compression);
    }

    [Fact]
    public void Compression_UnknownValueIsRejected()
    {
        Assert.Contains("unknown Compression 'rar'", ParseError(NarInfoSamples.Minimal("Compression: rar\n")));
    }

    [Fact]
    public void Deriver_UnknownDeriverMeansNone()
    {
        Assert.Null(ParseOk(NarInfoSamples.Minimal("Deriver: unknown-deriver\n")).Deriver);
        Assert.Contains("invalid Deriver", ParseError(NarInfoSamples.Minimal("Deriver: foo.drv\n")));
    }

    [Fact]
    public void System_IsKept()
    {
        Assert.Equal("x86_64-linux", ParseOk(NarInfoSamples.Minimal("System: x86_64-linux\n")).System);
        Assert.Null(ParseOk(NarInfoSamples.Minimal("System: \n")).System);
    }

    [Fact]
    public void Sigs_RepeatAndKeepTheirOrder()
    {
        string other = "other-1:" + Convert.ToBase64String(new byte[64]);
        NarInfo info = ParseOk(NarInfoSamples.Minimal($"Sig: {NarInfoSamples.Sig}\nSig: {other}\n"));
        Assert.Equal([NarInfoSamples.Sig, other], info.Sigs);
    }

    [Theory]
    [InlineData("Sig: \n")]
    [InlineData("Sig: nocolon\n")]
    [InlineData("Sig: :AAAA\n")]
    [InlineData("Sig: probe-1:not-base64\n")]
    [InlineData("Sig: probe-1:AAAA\n")]
    [InlineData("Sig: probe-1:bESphR6Ui5ZSC2pm/Mf2j1YhzMR0n913FHyRCb+QxUTu7NaFYnTSQibtNUgWgNuxpPq33GK0hPrlHbwCdh+jCg=\n")]
    public void MalformedSigs_AreRejected(string line)
    {
        Assert.Contains("invalid Sig", ParseError(NarInfoSamples.Minimal(line)));
    }

    [Theory]
    [InlineData("CA: fixed:r:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr\n", "fixed:r:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr")]
    [InlineData("CA: \n", null)]
    public void Ca_IsKept(string line, string? expected)
    {
        Assert.Equal(expected, ParseOk(NarInfoSamples.Minimal(line)).Ca);
    }

    [Fact]
    public void Ca_MustLookLikeAContentAddress()
    {
        Assert.Contains("must start with 'text:' or 'fixed:'", ParseError(NarInfoSamples.Minimal("CA: sha256:abc\n")));
    }

    [Fact]
    public void Parse_ThrowsFormatException()
    {
        Assert.Equal(752, NarInfo.Parse(NarInfoSamples.ProbeOut).NarSize);
        FormatException e = Assert.Throws<FormatException>(() => NarInfo.Parse("x"));
        Assert.Equal("The narinfo must end with a newline ('\\n').", e.Message);
    }
}
