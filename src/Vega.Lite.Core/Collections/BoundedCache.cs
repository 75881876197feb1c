using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Collections;

/// <summary>
/// A concurrent map of at most <c>maxEntries</c> entries, emptied whole when full (a miss only costs a lookup), with a
/// generation so that a reader who raced an invalidation never stores what it read before it, and an optional
/// lifetime per entry: a safety net for changes no invalidation reported (another process's, a lost notification).
/// </summary>
public sealed class BoundedCache<TKey, TValue>(int maxEntries, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);
    private long _generation;

    private readonly record struct Entry(TValue Value, long ExpiresAt);

    /// <summary>A token for <see cref="Store"/>, taken before reading what is to be stored.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > Environment.TickCount64)
            {
                value = entry.Value;
                return true;
            }
            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)); // only this expired entry, not a newer one
        }
        value = default;
        return false;
    }

    /// <summary>
    /// Stores the value for at most <paramref name="lifetime"/> (for ever when null), unless an invalidation came
    /// after <paramref name="generation"/> was taken.
    /// </summary>
    public void Store(TKey key, TValue value, long generation, TimeSpan? lifetime = null)
    {
        if (Generation != generation)
        {
            return;
        }
        Set(key, value, lifetime);
        if (Generation != generation)
        {
            _entries.TryRemove(key, out _); // an invalidation ran between the check and the write
        }
    }

    /// <summary>Stores the value whatever happened meanwhile: for values that cannot go stale.</summary>
    public void Set(TKey key, TValue value, TimeSpan? lifetime = null)
    {
        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }
        var expiresAt = lifetime is { } span ? Environment.TickCount64 + (long)span.TotalMilliseconds : long.MaxValue;
        _entries[key] = new Entry(value, expiresAt);
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
