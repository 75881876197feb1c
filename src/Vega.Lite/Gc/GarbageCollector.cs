using Vega.Lite.Config;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Gc;

/// <summary>What one pass removed.</summary>
internal sealed record GcReport(int Objects, int Nars, int Chunks, int AbandonedUploads)
{
    public override string ToString() =>
        $"{Objects} objects, {Nars} NARs, {Chunks} chunks and {AbandonedUploads} abandoned uploads removed";
}

/// <summary>
/// One garbage-collection pass (docs/attic-api.md §7): expired objects, then NARs nothing refers to, then chunks no NAR
/// refers to and their blobs, then the blobs of uploads whose process died. A blob that is already gone counts as
/// deleted (Attic #361); chunk rows are paged through, so a pass finishes whatever their number.
/// </summary>
internal sealed class GarbageCollector(MetadataStore metadata, IBlobStorage storage, GarbageCollectionConfig config, ILogger<GarbageCollector> log)
{
    private const int PageSize = 500;
    private const int ParallelDeletes = 20;

    /// <summary>No upload writes this many blobs; a bound on walking a dead lease's keys.</summary>
    private const int MaxBlobsPerLease = 50_000_000;

    public async Task<GcReport> RunOnceAsync(CancellationToken ct)
    {
        var objects = await metadata.DeleteExpiredObjectsAsync((long)config.DefaultRetentionPeriod.TotalSeconds, ct);
        var nars = await metadata.DeleteOrphanNarsAsync(ct);
        await metadata.MarkOrphanChunksAsync(ct);
        var chunks = await DeleteMarkedChunksAsync(ct);
        var uploads = await DeleteAbandonedUploadsAsync(ct);
        var report = new GcReport(objects, nars, chunks, uploads);
        log.LogInformation("Garbage collection: {Report}", report);
        return report;
    }

    private async Task<int> DeleteMarkedChunksAsync(CancellationToken ct)
    {
        var deleted = 0;
        long after = 0;
        while (true)
        {
            var page = await metadata.GetChunksToDeleteAsync(PageSize, after, ct);
            if (page.Count == 0)
            {
                return deleted;
            }
            after = page[^1].Id;
            var gone = new List<long>();
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = ParallelDeletes, CancellationToken = ct },
                async (chunk, token) =>
                {
                    try
                    {
                        await storage.DeleteAsync(chunk.BlobKey, token);
                        lock (gone)
                        {
                            gone.Add(chunk.Id);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogWarning("Could not delete blob {Key}; retrying next pass: {Error}", chunk.BlobKey, e.Message);
                    }
                });
            await metadata.DeleteChunkRowsAsync(gone, ct);
            deleted += gone.Count;
        }
    }

    private async Task<int> DeleteAbandonedUploadsAsync(CancellationToken ct)
    {
        var abandoned = 0;
        foreach (var (id, owner) in await metadata.GetLeasesAsync(ct))
        {
            if (ProcessIdentity.IsAlive(owner))
            {
                continue;
            }
            var lease = new UploadLease(id);
            // Blobs are numbered in order and at most MaxBlobsInFlight are written at once, so once more than that many
            // keys in a row have no blob, no later key has one.
            var misses = 0;
            for (var n = 0; n < MaxBlobsPerLease && misses <= UploadLease.MaxBlobsInFlight; n++)
            {
                var existed = await storage.ExistsAsync(lease.KeyFor(n), ct);
                await storage.DeleteAsync(lease.KeyFor(n), ct); // also a half-written one
                misses = existed ? 0 : misses + 1;
            }
            await metadata.DeleteLeaseAsync(id, ct);
            abandoned++;
        }
        return abandoned;
    }
}
