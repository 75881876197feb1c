using System.Collections.Concurrent;

namespace Vega.Lite.Api;

/// <summary>
/// Rendered, signed narinfo bytes per (cache, store path hash): rendered and signed once, then served from memory.
/// A miss is remembered too (as an empty body), so probing for absent paths costs no query. Dropped for one path
/// on upload, for a whole cache when its key or settings change; bounded per cache.
/// </summary>
internal sealed class NarInfoCache
{
    private const int MaxEntriesPerCache = 200_000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _byCache = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The cached answer: true with the body, or true with an empty body for a known miss.</summary>
    public bool TryGet(string cacheName, string storePathHash, out byte[] body)
    {
        if (_byCache.TryGetValue(cacheName, out var entries) && entries.TryGetValue(storePathHash, out body!))
        {
            return true;
        }
        body = [];
        return false;
    }

    /// <summary>A token to pass to <see cref="Store"/>, taken before reading the database.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Store(string cacheName, string storePathHash, byte[] body, long generation)
    {
        var entries = _byCache.GetOrAdd(cacheName, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));
        if (entries.Count >= MaxEntriesPerCache)
        {
            entries.Clear();
        }
        if (Interlocked.Read(ref _generation) == generation)
        {
            entries[storePathHash] = body;
        }
    }

    public void Invalidate(string cacheName, string storePathHash)
    {
        Interlocked.Increment(ref _generation);
        if (_byCache.TryGetValue(cacheName, out var entries))
        {
            entries.TryRemove(storePathHash, out _);
        }
    }

    public void InvalidateCache(string cacheName)
    {
        Interlocked.Increment(ref _generation);
        _byCache.TryRemove(cacheName, out _);
    }
}
