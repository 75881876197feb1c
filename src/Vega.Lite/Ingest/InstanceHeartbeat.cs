using Vega.Lite.Metadata;

namespace Vega.Lite.Ingest;

/// <summary>
/// Beats this server's heartbeat every <see cref="Interval"/> while it runs and ends it when it stops cleanly. A
/// garbage collector that cannot see this process (another container or host) counts its upload leases alive until
/// the heartbeat is <see cref="Expiry"/> old, so it never deletes the blobs of an upload still in flight.
/// </summary>
internal sealed class InstanceHeartbeat(MetadataStore metadata, ILogger<InstanceHeartbeat> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Six missed beats: long enough for a stalled database or a paused VM, short enough to collect soon.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await metadata.BeatAsync(ProcessIdentity.Current, stoppingToken);
            }
            catch (System.Data.Common.DbException e)
            {
                log.LogWarning("Cannot beat this process's heartbeat: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await metadata.EndHeartbeatAsync(ProcessIdentity.Current, cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            log.LogWarning("Cannot end this process's heartbeat: {Reason}", e.Message);
        }
    }
}
