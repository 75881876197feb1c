using System.Collections.Concurrent;

namespace Vega.Lite.Metadata;

/// <summary>
/// Cache rows by name, held in memory (every binary-cache request needs one) and dropped on every change.
/// A generation counter keeps a lookup that raced a change from storing what it read before the change.
/// </summary>
internal sealed class CacheDirectory(MetadataStore store)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, CacheRecord?> _byName = new(StringComparer.Ordinal);
    private long _generation;

    public async ValueTask<CacheRecord?> GetAsync(string name, CancellationToken ct)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }
        var generation = Interlocked.Read(ref _generation);
        var record = await store.GetCacheAsync(name, ct);
        if (_byName.Count >= MaxEntries)
        {
            _byName.Clear();
        }
        if (Interlocked.Read(ref _generation) == generation)
        {
            _byName[name] = record;
        }
        return record;
    }

    public void Invalidate(string name)
    {
        Interlocked.Increment(ref _generation);
        _byName.TryRemove(name, out _);
    }
}
