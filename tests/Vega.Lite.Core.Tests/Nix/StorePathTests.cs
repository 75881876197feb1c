using Vega.Lite.Core.Nix;

namespace Vega.Lite.Core.Tests.Nix;

public sealed class StorePathTests
{
    private const string Hash = "189wx4z6f15a82c7y9xlf61dw6hsaggy";

    [Fact]
    public void Parse_SplitsThePath()
    {
        Assert.True(StorePath.TryParse($"/nix/store/{Hash}-probe-out", out StorePath? path, out string? error), error);
        Assert.NotNull(path);
        Assert.Equal("/nix/store", path.StoreDir);
        Assert.Equal(Hash, path.Hash);
        Assert.Equal("probe-out", path.Name);
        Assert.Equal($"{Hash}-probe-out", path.BaseName);
        Assert.Equal($"/nix/store/{Hash}-probe-out", path.FullPath);
        Assert.Equal(path.FullPath, path.ToString());
    }

    [Fact]
    public void Parse_AcceptsOtherStoreDirectories()
    {
        StorePath path = StorePath.Parse($"/home/user/my-store/{Hash}-x");
        Assert.Equal("/home/user/my-store", path.StoreDir);
        Assert.Equal("x", path.Name);
    }

    [Theory]
    [InlineData("hello-2.12.1")]
    [InlineData("a")]
    [InlineData("A+b-c.d_e?f=g")]
    [InlineData(".foo")]
    [InlineData("..foo")]
    [InlineData("-leading-dash")]
    [InlineData("...")]
    [InlineData("source")]
    public void ValidNames_AreAccepted(string name)
    {
        Assert.True(StorePath.IsValidName(name));
        Assert.True(StorePath.IsValidBaseName($"{Hash}-{name}"));
        Assert.True(StorePath.TryParse($"/nix/store/{Hash}-{name}", out _, out _));
    }

    [Fact]
    public void NameLength_IsLimitedTo211()
    {
        Assert.True(StorePath.IsValidName(new string('a', 211)));
        Assert.False(StorePath.IsValidName(new string('a', 212)));
        Assert.False(StorePath.TryParse($"/nix/store/{Hash}-{new string('a', 212)}", out _, out string? error));
        Assert.Contains("longer than 211", error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "'.' or '..'")]
    [InlineData("..", "'.' or '..'")]
    [InlineData(".-foo", "'.-' or '..-'")]
    [InlineData("..-foo", "'.-' or '..-'")]
    [InlineData("has space", "invalid character ' '")]
    [InlineData("comma,name", "invalid character ','")]
    [InlineData("at@sign", "invalid character '@'")]
    [InlineData("ünicode", "invalid character 'ü'")]
    [InlineData("tab\tname", "invalid character '\\t'")]
    public void InvalidNames_AreRejected(string name, string reason)
    {
        Assert.False(StorePath.IsValidName(name));
        Assert.False(StorePath.IsValidBaseName($"{Hash}-{name}"));
        Assert.False(StorePath.TryParse($"/nix/store/{Hash}-{name}", out StorePath? path, out string? error));
        Assert.Null(path);
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsagg-x")] // 31 characters
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggyy-x")] // 33 characters
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggE-x")] // uppercase
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsagge-x")] // 'e' is not nix32
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggy")] // no name
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggy-")] // empty name
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggy_x")] // no dash
    public void InvalidBaseNames_AreRejected(string baseName)
    {
        Assert.False(StorePath.IsValidBaseName(baseName));
        Assert.False(StorePath.TryParse("/nix/store/" + baseName, out _, out string? error));
        Assert.StartsWith("Store path '/nix/store/", error);
    }

    [Theory]
    [InlineData("nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("/189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("/nix//store/189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("/nix/store//189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("/nix/../store/189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("/nix/./store/189wx4z6f15a82c7y9xlf61dw6hsaggy-x")]
    [InlineData("/nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-x/")]
    [InlineData("/nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-x/bin")]
    [InlineData("")]
    public void InvalidPaths_AreRejected(string text)
    {
        Assert.False(StorePath.TryParse(text, out StorePath? path, out string? error));
        Assert.Null(path);
        Assert.NotNull(error);
        Assert.False(StorePath.IsValid(text));
        Assert.Throws<FormatException>(() => StorePath.Parse(text));
    }

    [Fact]
    public void Null_IsRejected()
    {
        Assert.False(StorePath.TryParse(null, out _, out string? error));
        Assert.NotNull(error);
        Assert.False(StorePath.IsValidBaseName((string?)null));
    }

    [Fact]
    public void Equality_IsOrdinalOnTheFullPath()
    {
        StorePath a = StorePath.Parse($"/nix/store/{Hash}-x");
        StorePath b = StorePath.Parse($"/nix/store/{Hash}-x");
        StorePath c = StorePath.Parse($"/nix/store/{Hash}-X");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(Hash, true)]
    [InlineData("00000000000000000000000000000000", true)]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", true)]
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsagg", false)]
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsaggyy", false)]
    [InlineData("189WX4Z6F15A82C7Y9XLF61DW6HSAGGY", false)]
    [InlineData("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", false)]
    [InlineData("oooooooooooooooooooooooooooooooo", false)]
    [InlineData("uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", false)]
    [InlineData("tttttttttttttttttttttttttttttttt", false)]
    [InlineData("189wx4z6f15a82c7y9xlf61dw6hsagg.", false)]
    [InlineData("", false)]
    public void StorePathHash_Validation(string hash, bool valid)
    {
        Assert.Equal(valid, StorePathHash.IsValid(hash));
    }
}
