using Vega.Lite.Config;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;
using Vega.Lite.Storage;

namespace Vega.Lite.Gc;

/// <summary>What one pass removed.</summary>
/// <param name="LostChunks">Chunks whose blob the pass found missing and recorded lost (<c>check-blobs</c>).</param>
/// <param name="Skipped">Another process had the turn (<see cref="MetadataDatabase.TryTakeCollectorTurnAsync"/>): nothing was done.</param>
/// <param name="FreedBytes">The compressed files of the chunks deleted.</param>
internal sealed record GcReport(
    int Objects, int Nars, int Chunks, int AbandonedUploads, int LostChunks = 0, bool Skipped = false, long FreedBytes = 0)
{
    public override string ToString() => Skipped ? "skipped, another process is collecting garbage on this database" :
        $"{Objects} objects, {Nars} NARs, {Chunks} chunks and {AbandonedUploads} abandoned uploads removed" +
        (LostChunks > 0 ? $"; {LostChunks} chunks found lost, their paths count as missing until pushed again" : "");
}

/// <summary>
/// One garbage-collection pass (docs/attic-api.md §7): expired objects, then NARs nothing refers to, then chunks no NAR
/// refers to and their blobs, then the blobs of uploads whose process died. A blob that is already gone counts as
/// deleted (Attic #361); chunk rows are paged through, so a pass finishes whatever their number. One process at a time
/// collects on a database (replicas each run the loop; the others skip their pass while one has the turn).
/// </summary>
internal sealed class GarbageCollector(
    MetadataStore metadata, MetadataDatabase database, IBlobStorage storage, GarbageCollectionConfig config, ServerMetrics metrics,
    TimeProvider time, ILogger<GarbageCollector> log)
{
    private const int PageSize = 500;
    private const int ParallelDeletes = 20;

    /// <summary>No upload writes this many blobs; a bound on walking a dead lease's keys.</summary>
    private const int MaxBlobsPerLease = 50_000_000;

    /// <summary>One pass, recorded in <c>vega_gc_run</c> (for the status page) and in the metrics; a skipped turn only in the metrics.</summary>
    public async Task<GcReport> RunOnceAsync(CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        await using var turn = await database.TryTakeCollectorTurnAsync(ct);
        if (turn is null)
        {
            var skipped = new GcReport(0, 0, 0, 0, Skipped: true);
            log.LogInformation("Garbage collection: {Report}", skipped);
            metrics.GcPass("skipped", time.GetElapsedTime(started), 0);
            return skipped;
        }
        GcReport report;
        try
        {
            var objects = await metadata.DeleteExpiredObjectsAsync((long)config.DefaultRetentionPeriod.TotalSeconds, ct);
            var nars = await metadata.DeleteOrphanNarsAsync(ct);
            await metadata.MarkOrphanChunksAsync(ct);
            var (chunks, freed) = await DeleteMarkedChunksAsync(ct);
            var uploads = await DeleteAbandonedUploadsAsync(ct);
            var lost = config.CheckBlobs ? await FindLostBlobsAsync(ct) : 0;
            report = new GcReport(objects, nars, chunks, uploads, lost, FreedBytes: freed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.GcPass("failed", time.GetElapsedTime(started), 0);
            throw;
        }
        var duration = time.GetElapsedTime(started);
        log.LogInformation("Garbage collection: {Report}", report);
        metrics.GcPass("completed", duration, report.FreedBytes);
        await metadata.RecordGcRunAsync(new GcRun(startedAt.ToUnixTimeSeconds(), (long)duration.TotalMilliseconds, report.Objects,
            report.Nars, report.Chunks, report.FreedBytes, report.LostChunks), ct);
        return report;
    }

    /// <summary>After the deletions, so that only blobs a chunk row still needs are checked.</summary>
    private async Task<int> FindLostBlobsAsync(CancellationToken ct)
    {
        var verify = await new BlobVerifier(metadata, storage).RunAsync(checkHashes: false, line => log.LogWarning("{Finding}", line), ct);
        return verify.Missing;
    }

    private async Task<(int Deleted, long FreedBytes)> DeleteMarkedChunksAsync(CancellationToken ct)
    {
        var deleted = 0;
        long freed = 0;
        long after = 0;
        while (true)
        {
            var page = await metadata.GetChunksToDeleteAsync(PageSize, after, ct);
            if (page.Count == 0)
            {
                return (deleted, freed);
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
                            freed += chunk.FileSize;
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
        var beating = await metadata.GetLiveProcessesAsync(InstanceHeartbeat.Expiry, ct);
        foreach (var (id, owner) in await metadata.GetLeasesAsync(ct))
        {
            // A process this one can see is judged by its pid; any other (another container or host) by its heartbeat.
            if (ProcessIdentity.SharesProcessView(owner) ? ProcessIdentity.IsAlive(owner) : beating.Contains(owner))
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
        await metadata.DeleteStaleHeartbeatsAsync(ct);
        return abandoned;
    }
}
