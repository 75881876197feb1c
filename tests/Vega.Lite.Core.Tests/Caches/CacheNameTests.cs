using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tests.Caches;

public sealed class CacheNameTests
{
    // attic/src/cache.rs, test_cache_name: `names`
    [Theory]
    [InlineData("valid-name")]
    [InlineData("Another_Valid_Name")]
    [InlineData("plan9")]
    [InlineData("username+cache")]
    public void AtticValidNames(string name) => Assert.True(CacheName.IsValid(name));

    // attic/src/cache.rs, test_cache_name: `bad_names`
    [Theory]
    [InlineData("")]
    [InlineData("not a valid name")]
    [InlineData("team-*")]
    [InlineData("这布盒里.webp")]
    [InlineData("-ers")]
    [InlineData("and-you-can-have-it-all-my-empire-of-dirt-i-will-let-you-down-i-will-make-you-hurt")]
    public void AtticInvalidNames(string name) => Assert.False(CacheName.IsValid(name));

    [Theory]
    [InlineData("_api")]
    [InlineData("+ns")]
    [InlineData("name\n")]
    [InlineData("name.dots")]
    [InlineData("caché")]
    public void OtherInvalidNames(string name) => Assert.False(CacheName.IsValid(name));

    [Fact]
    public void LengthLimitIsFifty()
    {
        Assert.True(CacheName.IsValid(new string('a', 50)));
        Assert.False(CacheName.IsValid(new string('a', 51)));
        Assert.True(CacheName.IsValid("a"));
        Assert.True(CacheName.IsValid("9-_+"));
    }
}
