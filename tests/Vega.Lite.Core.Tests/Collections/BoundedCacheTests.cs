using Vega.Lite.Core.Collections;

namespace Vega.Lite.Core.Tests.Collections;

public sealed class BoundedCacheTests
{
    [Fact]
    public void An_entry_with_a_lifetime_is_gone_after_it_and_one_without_stays()
    {
        var cache = new BoundedCache<string, string>(10);
        cache.Store("short", "a", cache.Generation, TimeSpan.FromMilliseconds(50));
        cache.Store("forever", "b", cache.Generation);
        Assert.True(cache.TryGet("short", out var value));
        Assert.Equal("a", value);

        Thread.Sleep(120);

        Assert.False(cache.TryGet("short", out _));
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("forever", out value));
        Assert.Equal("b", value);
    }

    [Fact]
    public void A_reader_that_raced_an_invalidation_stores_nothing()
    {
        var cache = new BoundedCache<string, string>(10);
        var generation = cache.Generation;
        cache.Remove("other"); // an invalidation while the reader was at the database
        cache.Store("key", "stale", generation);
        Assert.False(cache.TryGet("key", out _));
    }

    [Fact]
    public void A_full_cache_is_emptied_before_it_grows_past_its_bound()
    {
        var cache = new BoundedCache<int, int>(3);
        for (var i = 0; i < 4; i++)
        {
            cache.Set(i, i);
        }
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(3, out _));
    }
}
