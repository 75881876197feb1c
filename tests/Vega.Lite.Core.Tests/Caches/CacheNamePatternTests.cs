using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tests.Caches;

public sealed class CacheNamePatternTests
{
    private static CacheNamePattern P(string pattern) => CacheNamePattern.Parse(pattern);

    // attic/src/cache.rs, test_cache_name_pattern
    [Fact]
    public void AtticPatternCases()
    {
        CacheNamePattern pattern = P("team-*");
        Assert.True(pattern.Matches("team-"));
        Assert.True(pattern.Matches("team-abc"));
        Assert.False(pattern.Matches("abc-team"));

        pattern = P("no-wildcard");
        Assert.True(pattern.Matches("no-wildcard"));
        Assert.False(pattern.Matches("no-wildcard-xxx"));
        Assert.False(pattern.Matches("xxx-no-wildcard"));

        CacheNamePattern star = P("*");
        Assert.True(star.Matches("literally-anything"));

        Assert.False(CacheNamePattern.TryParse("*-but-normal-restrictions-still-apply!!!", out _));

        CacheNamePattern pattern1 = P("same-pattern");
        CacheNamePattern pattern2 = P("same-pattern");
        Assert.Equal(pattern1, pattern2);
        Assert.Equal(pattern1.GetHashCode(), pattern2.GetHashCode());
        Assert.NotEqual(star, pattern1);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("**")]
    [InlineData("*abc")]
    [InlineData("a*b*c")]
    [InlineData("alice+*")]
    [InlineData("valid-name")]
    public void ValidPatterns(string pattern) => Assert.True(CacheNamePattern.TryParse(pattern, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-*")]
    [InlineData("_*")]
    [InlineData("a?")]
    [InlineData("a *")]
    [InlineData("team-*\n")]
    public void InvalidPatterns(string? pattern)
    {
        Assert.False(CacheNamePattern.TryParse(pattern, out CacheNamePattern? parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void PatternLengthLimitIsFifty()
    {
        Assert.True(CacheNamePattern.TryParse(new string('*', 50), out _));
        Assert.False(CacheNamePattern.TryParse(new string('*', 51), out _));
    }

    [Theory]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "a-b-c", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*-ci-*", "all-ci-x", true)]
    [InlineData("*-ci-*", "all-cix", false)]
    [InlineData("**", "", true)]
    [InlineData("*x", "xx", true)]
    [InlineData("*x", "xy", false)]
    [InlineData("Team-*", "team-a", false)]
    public void WildmatchSemantics(string pattern, string name, bool expected) =>
        Assert.Equal(expected, P(pattern).Matches(name));

    [Fact]
    public void PropertiesAndParse()
    {
        Assert.True(P("team-*").HasWildcard);
        Assert.False(P("team").HasWildcard);
        Assert.Equal("team-*", P("team-*").Pattern);
        Assert.Equal("team-*", P("team-*").ToString());
        Assert.Throws<ArgumentException>(() => CacheNamePattern.Parse("bad pattern"));
    }
}
