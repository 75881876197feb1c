using System.Diagnostics.Metrics;
using Vega.Lite.Metadata;

namespace Vega.Lite.Observability;

/// <summary>What every cache and the whole storage hold, read from the database at one moment.</summary>
internal sealed record StatisticsSnapshot(
    DateTimeOffset TakenAt, IReadOnlyList<(CacheRecord Cache, CacheUsage Usage)> Caches, StorageUsage Storage)
{
    public static readonly StatisticsSnapshot Empty = new(DateTimeOffset.MinValue, [], new StorageUsage(0, 0, 0, 0));
}

/// <summary>
/// The sums the status page and the metrics' gauges show. They are sums over every path, too dear for each request:
/// read again by whoever asks first once the snapshot is <see cref="MaxAge"/> old, or at once when the database reported
/// a change since (a push, a new cache: <see cref="Changed"/>), though never twice within <see cref="MinAge"/>;
/// concurrent askers share that read.
/// Each read is sampled into <c>vega_storage_sample</c> for the status page's stored-bytes chart.
/// </summary>
internal sealed class CacheStatistics
{
    /// <summary>A snapshot this old is read again; a Prometheus scrape every 15 s gets numbers at most this old.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>However busy the pushes, the sums are read at most once per this.</summary>
    public static readonly TimeSpan MinAge = TimeSpan.FromSeconds(1);

    private readonly MetadataStore _metadata;
    private readonly TimeProvider _time;
    private readonly ILogger<CacheStatistics> _log;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile StatisticsSnapshot _snapshot = StatisticsSnapshot.Empty;
    private volatile bool _changed;

    public CacheStatistics(MetadataStore metadata, ServerMetrics metrics, TimeProvider time, ILogger<CacheStatistics> log)
    {
        _metadata = metadata;
        metadata.ServedPathsChanged += Changed; // this process's own changes, before the database reports them
        _time = time;
        _log = log;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("vega_lite.cache.objects", () => PerCache(u => u.Objects), "{path}", "Store paths in the cache");
        meter.CreateObservableGauge("vega_lite.cache.nar", () => PerCache(u => u.NarBytes), "By", "NAR bytes of the cache's paths");
        meter.CreateObservableGauge("vega_lite.cache.stored", () => PerCache(u => u.StoredBytes), "By",
            "Compressed bytes of the distinct chunks the cache's paths use (chunks shared by caches count in each)");
        meter.CreateObservableGauge("vega_lite.storage.objects", () => _snapshot.Storage.Objects, "{path}", "Store paths in all caches");
        meter.CreateObservableGauge("vega_lite.storage.nar", () => _snapshot.Storage.NarBytes, "By", "NAR bytes of every stored NAR, once each");
        meter.CreateObservableGauge("vega_lite.storage.stored", () => _snapshot.Storage.StoredBytes, "By", "Bytes in storage: every chunk's compressed file once");
        meter.CreateObservableGauge("vega_lite.storage.deduplicated_ratio", () => DeduplicatedFraction(_snapshot.Storage.NarBytes, _snapshot.Storage.ChunkBytes),
            "1", "Fraction of the stored NARs' bytes that deduplication saved: 1 - distinct chunk bytes / NAR bytes");
    }

    /// <summary>The fraction deduplication saved: none when nothing is stored.</summary>
    public static double DeduplicatedFraction(long narBytes, long chunkBytes) =>
        narBytes == 0 ? 0 : Math.Max(0, 1 - (double)chunkBytes / narBytes);

    /// <summary>What the snapshot sums changed in the database (a path or a cache), by this process or another.</summary>
    public void Changed() => _changed = true;

    private bool IsFresh(StatisticsSnapshot snapshot) => _time.GetUtcNow() - snapshot.TakenAt < MaxAge && !_changed;

    /// <summary>
    /// The latest snapshot, read again first unless it is fresh. After a change, a snapshot younger than
    /// <see cref="MinAge"/> is read again once it is that old: the caller waits for it rather than see the old sums.
    /// </summary>
    public async Task<StatisticsSnapshot> GetAsync(CancellationToken ct)
    {
        if (IsFresh(_snapshot))
        {
            return _snapshot;
        }
        await _reading.WaitAsync(ct);
        try
        {
            if (!IsFresh(_snapshot))
            {
                var age = _time.GetUtcNow() - _snapshot.TakenAt;
                if (age < MinAge)
                {
                    await Task.Delay(MinAge - age, _time, ct);
                }
                _changed = false; // before the read: a change during it is seen by the next
                var caches = await _metadata.GetCacheUsageAsync(ct);
                var storage = await _metadata.GetStorageUsageAsync(ct);
                _snapshot = new StatisticsSnapshot(_time.GetUtcNow(), caches, storage);
                await SampleAsync(storage, ct);
            }
            return _snapshot;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>The chart's sample is a nicety: a database that refuses the write leaves the snapshot served.</summary>
    private async Task SampleAsync(StorageUsage storage, CancellationToken ct)
    {
        try
        {
            await _metadata.SampleStorageAsync(storage, ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException)
        {
            _log.LogWarning("Could not record the hour's storage sample: {Error}", e.Message);
        }
    }

    private IEnumerable<Measurement<long>> PerCache(Func<CacheUsage, long> value) =>
        _snapshot.Caches.Select(c => new Measurement<long>(value(c.Usage), new KeyValuePair<string, object?>("cache", c.Cache.Name)));
}
