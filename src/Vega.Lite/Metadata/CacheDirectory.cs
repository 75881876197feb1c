using Vega.Lite.Core.Collections;

namespace Vega.Lite.Metadata;

/// <summary>
/// Cache rows by name, held in memory (every binary-cache request needs one) and dropped on every change, in this
/// process or another (<c>Api/CacheCoherence.cs</c>); a known absent name is remembered too. Entries age out after
/// <see cref="Lifetime"/>, for a change no process reported.
/// </summary>
internal sealed class CacheDirectory(MetadataStore store)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly BoundedCache<string, CacheRecord?> _byName = new(maxEntries: 10_000, StringComparer.Ordinal);

    public async ValueTask<CacheRecord?> GetAsync(string name, CancellationToken ct)
    {
        if (_byName.TryGet(name, out var known))
        {
            return known;
        }
        var generation = _byName.Generation;
        var record = await store.GetCacheAsync(name, ct);
        _byName.Store(name, record, generation, Lifetime);
        return record;
    }

    public void Invalidate(string name) => _byName.Remove(name);

    public void InvalidateAll() => _byName.Clear();
}
