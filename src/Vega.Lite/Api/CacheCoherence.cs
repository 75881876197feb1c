using Vega.Lite.Auth;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;

namespace Vega.Lite.Api;

/// <summary>
/// Keeps what this server holds in memory (narinfo, cache rows) true to the database when another process changes it:
/// another replica's uploads, cache settings and revoked tokens, a garbage collector in its own process, <c>vega-lite verify</c>. It
/// follows the database's changes (<see cref="MetadataDatabase.WatchChangesAsync"/>: PostgreSQL's notifications, on
/// SQLite the invalidation counter each <see cref="MetadataDatabase.ChangePollInterval"/>) and drops what each
/// names. Changes this process makes itself are dropped at once, without waiting for their message.
/// </summary>
internal sealed class CacheCoherence(
    MetadataDatabase database, NarInfoCache narInfos, CacheDirectory caches, TokenRevocations revocations, CacheStatistics statistics,
    ILogger<CacheCoherence> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        database.WatchChangesAsync(Apply,
            reason => log.LogWarning("Cannot follow the database's changes ({Reason}): changes by other processes may be served late", reason),
            stoppingToken);

    private void Apply(CacheChange change)
    {
        switch (change.Kind)
        {
            case CacheChangeKind.Path:
                narInfos.InvalidatePath(change.Name);
                statistics.Changed();
                break;
            case CacheChangeKind.Cache:
                caches.Invalidate(change.Name);
                narInfos.InvalidateCache(change.Name);
                statistics.Changed();
                break;
            case CacheChangeKind.Revocations:
                revocations.ReloadSoon();
                break;
            default:
                caches.InvalidateAll();
                narInfos.InvalidateAll();
                statistics.Changed();
                revocations.ReloadSoon();
                break;
        }
    }
}
