using Vega.Lite.Config;

namespace Vega.Lite.Gc;

/// <summary>
/// The <c>[garbage-collection] interval</c> loop: a pass at start, then one per interval (atticd's behaviour in
/// monolithic and garbage-collector modes). A failed pass is logged and the loop carries on.
/// </summary>
internal sealed class GarbageCollectionLoop(GarbageCollector collector, GarbageCollectionConfig config, ILogger<GarbageCollectionLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(config.Interval);
        do
        {
            try
            {
                await collector.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Garbage collection pass failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
