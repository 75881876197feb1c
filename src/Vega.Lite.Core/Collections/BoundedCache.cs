using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Collections;

/// <summary>
/// A concurrent map of at most <c>maxEntries</c> entries, emptied whole when full (a miss only costs a lookup), with a
/// generation so that a reader who raced an invalidation never stores what it read before it.
/// </summary>
public sealed class BoundedCache<TKey, TValue>(int maxEntries, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);
    private long _generation;

    /// <summary>A token for <see cref="Store"/>, taken before reading what is to be stored.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    /// <summary>Stores the value unless an invalidation came after <paramref name="generation"/> was taken.</summary>
    public void Store(TKey key, TValue value, long generation)
    {
        if (Generation != generation)
        {
            return;
        }
        Set(key, value);
        if (Generation != generation)
        {
            _entries.TryRemove(key, out _); // an invalidation ran between the check and the write
        }
    }

    /// <summary>Stores the value whatever happened meanwhile: for values that cannot go stale.</summary>
    public void Set(TKey key, TValue value)
    {
        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }
        _entries[key] = value;
    }

    public void Remove(TKey key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key, out _);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
