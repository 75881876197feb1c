using Vega.Lite.Core.Pooling;

namespace Vega.Lite.Core.Tests.Pooling;

public sealed class IdlePoolTests
{
    [Fact]
    public void It_keeps_at_most_its_number_and_gives_each_kept_object_back_once()
    {
        var pool = new IdlePool<object>(keep: 2);
        object a = new(), b = new(), c = new();
        Assert.True(pool.TryKeep(a));
        Assert.True(pool.TryKeep(b));
        Assert.False(pool.TryKeep(c)); // full: the caller disposes of it
        var taken = new[] { Take(pool), Take(pool) };
        Assert.Equal(new[] { a, b }.ToHashSet(), taken.ToHashSet());
        Assert.False(pool.TryTake(out _));
        Assert.True(pool.TryKeep(c)); // room again
    }

    [Fact]
    public void Concurrent_keeps_never_exceed_the_number()
    {
        var pool = new IdlePool<object>(keep: 3);
        var kept = 0;
        Parallel.For(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (pool.TryKeep(new object()))
            {
                Interlocked.Increment(ref kept);
            }
        });
        Assert.Equal(3, kept);
    }

    private static object Take(IdlePool<object> pool)
    {
        Assert.True(pool.TryTake(out var item));
        return item!;
    }
}
