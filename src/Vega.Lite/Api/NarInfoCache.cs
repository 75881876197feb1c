using System.Collections.Concurrent;
using Vega.Lite.Core.Collections;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// Rendered, signed narinfo bytes per (cache, store path hash): rendered and signed once, then served from memory.
/// A miss is remembered too (as an empty body), so probing for absent paths costs no query. Dropped for one path
/// on upload, for a whole cache when its key or settings change, for every cache when paths expire or a NAR loses a
/// chunk or is repaired, in this process or another (<see cref="CacheCoherence"/>); bounded per cache. Entries also
/// age out (<see cref="HitLifetime"/>, <see cref="MissLifetime"/>), a safety net for a change no process reported: an
/// atticd writing the same database, a notification lost with its connection.
/// </summary>
internal sealed class NarInfoCache
{
    private const int MaxEntriesPerCache = 200_000;

    public static readonly TimeSpan HitLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Shorter: a path pushed where no notification reaches this process must not stay absent for long.</summary>
    public static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, BoundedCache<string, byte[]>> _byCache = new(StringComparer.Ordinal);

    public NarInfoCache(MetadataStore metadata) => metadata.ServedPathsChanged += InvalidateAll;

    /// <summary>The cached answer: true with the body, or true with an empty body for a known miss.</summary>
    public bool TryGet(string cacheName, string storePathHash, out byte[] body)
    {
        if (_byCache.TryGetValue(cacheName, out var entries) && entries.TryGet(storePathHash, out body!))
        {
            return true;
        }
        body = [];
        return false;
    }

    /// <summary>A token to pass to <see cref="Store"/>, taken before reading the database.</summary>
    public long Generation(string cacheName) => Entries(cacheName).Generation;

    public void Store(string cacheName, string storePathHash, byte[] body, long generation) =>
        Entries(cacheName).Store(storePathHash, body, generation, body.Length == 0 ? MissLifetime : HitLifetime);

    public void Invalidate(string cacheName, string storePathHash) => Entries(cacheName).Remove(storePathHash);

    /// <summary>Drops the path in every cache: for a change reported by store path hash alone.</summary>
    public void InvalidatePath(string storePathHash)
    {
        foreach (var entries in _byCache.Values)
        {
            entries.Remove(storePathHash);
        }
    }

    /// <summary>Empties the cache's entries; they stay allocated, so that a lookup racing this one cannot store.</summary>
    public void InvalidateCache(string cacheName) => Entries(cacheName).Clear();

    /// <summary>Empties every cache's entries: a change that any path of any cache may depend on.</summary>
    public void InvalidateAll()
    {
        foreach (var entries in _byCache.Values)
        {
            entries.Clear();
        }
    }

    private BoundedCache<string, byte[]> Entries(string cacheName) =>
        _byCache.GetOrAdd(cacheName, static _ => new BoundedCache<string, byte[]>(MaxEntriesPerCache, StringComparer.Ordinal));
}
