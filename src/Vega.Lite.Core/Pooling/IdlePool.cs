using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Pooling;

/// <summary>
/// Objects kept for reuse, up to <c>keep</c> of them; thread-safe. The count is a counter of its own:
/// <see cref="ConcurrentBag{T}.Count"/> takes every thread's lock, and the pools here are asked on every chunk.
/// </summary>
public sealed class IdlePool<T>(int keep)
{
    private readonly ConcurrentQueue<T> _idle = new();
    private int _count;

    /// <summary>An idle object, if there is one.</summary>
    public bool TryTake([MaybeNullWhen(false)] out T item)
    {
        if (_idle.TryDequeue(out item))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }
        return false;
    }

    /// <summary>Keeps <paramref name="item"/> for reuse; false when the pool is full, and the caller disposes of it.</summary>
    public bool TryKeep(T item)
    {
        if (Interlocked.Increment(ref _count) > keep)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        _idle.Enqueue(item);
        return true;
    }
}
