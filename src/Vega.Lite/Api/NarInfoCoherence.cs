using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// Keeps the narinfo held in memory true to the database when another process changes which paths are served (a
/// garbage collector in its own process, <c>vega-lite verify</c>): polls the invalidation counter each
/// <see cref="Interval"/> and drops every held narinfo when it moved (<c>Metadata/MetadataStore.Invalidation.cs</c>).
/// Changes this process makes itself are dropped at once, without waiting for the poll.
/// </summary>
internal sealed class NarInfoCoherence(MetadataStore metadata, NarInfoCache narInfos, ILogger<NarInfoCoherence> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? seen = null;
        var failing = false;
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var generation = await metadata.GetInvalidationGenerationAsync(stoppingToken);
                if (seen is not null && generation != seen)
                {
                    narInfos.InvalidateAll();
                }
                seen = generation;
                failing = false;
            }
            catch (System.Data.Common.DbException e)
            {
                if (!failing)
                {
                    log.LogWarning("Cannot read the invalidation counter ({Reason}): changes by other processes may be served late", e.Message);
                }
                narInfos.InvalidateAll(); // until it can be read again, held narinfo lives one interval
                (seen, failing) = (null, true);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
