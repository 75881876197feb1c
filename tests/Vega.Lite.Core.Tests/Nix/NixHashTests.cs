using Vega.Lite.Core.Nix;

namespace Vega.Lite.Core.Tests.Nix;

public sealed class NixHashTests
{
    private const string Hex = "ae45042aef5b148835db02d045fe89b4c09ff9e476dab001a14bc0322d3f2093";
    private const string Nix32Text = "14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf";
    private const string Sri = "sha256-rkUEKu9bFIg12wLQRf6JtMCf+eR22rABoUvAMi0/IJM=";

    [Theory]
    [InlineData("sha256:" + Hex)]
    [InlineData("sha256:AE45042AEF5B148835DB02D045FE89B4C09FF9E476DAB001A14BC0322D3F2093")]
    [InlineData("sha256:" + Nix32Text)]
    [InlineData("sha256:rkUEKu9bFIg12wLQRf6JtMCf+eR22rABoUvAMi0/IJM=")]
    [InlineData(Sri)]
    public void AllForms_ParseToTheSameHash(string text)
    {
        Assert.True(NixHash.TryParse(text, out NixHash hash, out string? error), error);
        Assert.Null(error);
        Assert.Equal(Convert.FromHexString(Hex), hash.Bytes.ToArray());
        Assert.Equal("sha256:" + Nix32Text, hash.ToNix32String());
        Assert.Equal("sha256:" + Hex, hash.ToHexString());
        Assert.Equal(Sri, hash.ToSriString());
        Assert.Equal("sha256:" + Nix32Text, hash.ToString());
    }

    [Fact]
    public void The_hex_text_is_written_into_a_buffer_as_ToHexString_makes_it_and_Of_hashes_bytes()
    {
        var hash = NixHash.Parse("sha256:" + Hex);
        var buffer = new string('x', NixHash.HexStringLength + 3).ToCharArray();
        hash.WriteHexString(buffer);
        Assert.Equal("sha256:" + Hex + "xxx", new string(buffer));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("abc"u8)), NixHash.Of("abc"u8).ToHexString());
    }

    [Theory]
    [InlineData("ae45042a", "The string lacks a colon separator.")]
    [InlineData("", "The string lacks a colon separator.")]
    [InlineData("sha256:abc", "Invalid length for SHA-256 string: Must be either 64 (hexadecimal), 52 (base32) or 44 (base64), got 3.")]
    [InlineData("sha256:", "got 0.")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "Unsupported hash algorithm 'md5'")]
    [InlineData("SHA256:" + Hex, "Unsupported hash algorithm 'SHA256'")]
    [InlineData("sha256:ge45042aef5b148835db02d045fe89b4c09ff9e476dab001a14bc0322d3f2093", "Invalid hexadecimal SHA-256 string")]
    [InlineData("sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08ide", "Invalid base32 SHA-256 string")]
    [InlineData("sha256:24r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", "Invalid base32 SHA-256 string")]
    [InlineData("sha256:14R07WNK5H2BL40V1NKNWKWRZH5LI7Z4BL02VCSQH52VXWM08IDF", "Invalid base32 SHA-256 string")]
    [InlineData("sha256:rkUEKu9bFIg12wLQRf6JtMCf+eR22rABoUvAMi0/IJ!=", "Invalid base64 SHA-256 string")]
    [InlineData("sha256:rkUEKu9bFIg12wLQRf6JtMCf eR22rABoUvAMi0/IJM=", "Invalid base64 SHA-256 string")]
    [InlineData("sha256-rkUEKu9bFIg12wLQRf6JtMCf+eR22rABoUvAMi0/IJM", "Invalid SRI SHA-256 hash")]
    [InlineData("sha256-" + Hex, "Invalid SRI SHA-256 hash")]
    [InlineData("sha256:" + Hex + " ", "got 65.")]
    public void InvalidStrings_AreRejectedWithAReason(string text, string expected)
    {
        Assert.False(NixHash.TryParse(text, out NixHash hash, out string? error));
        Assert.True(hash.IsEmpty);
        Assert.NotNull(error);
        Assert.Contains(expected, error);
        Assert.Throws<FormatException>(() => NixHash.Parse(text));
    }

    [Fact]
    public void Null_IsRejected()
    {
        Assert.False(NixHash.TryParse((string?)null, out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Equality_ComparesDigests()
    {
        NixHash a = NixHash.Parse("sha256:" + Hex);
        NixHash b = NixHash.Parse(Sri);
        NixHash c = NixHash.FromBytes(new byte[32]);

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.NotEqual(a, default);
        Assert.Equal(default(NixHash), default);
        Assert.True(a.Equals((object)b));
    }

    [Fact]
    public void FromBytes_CopiesAndChecksTheLength()
    {
        byte[] digest = Convert.FromHexString(Hex);
        NixHash hash = NixHash.FromBytes(digest);
        digest[0] = 0;
        Assert.Equal("sha256:" + Nix32Text, hash.ToNix32String());
        Assert.Throws<ArgumentException>(() => NixHash.FromBytes(new byte[20]));
    }

    [Fact]
    public void Default_IsEmpty()
    {
        NixHash empty = default;
        Assert.True(empty.IsEmpty);
        Assert.True(empty.Bytes.IsEmpty);
        Assert.Equal(string.Empty, empty.ToString());
        Assert.Throws<InvalidOperationException>(() => empty.ToNix32String());
        Assert.Throws<InvalidOperationException>(() => empty.ToHexString());
    }
}
