using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>
/// Changes to which store paths are served that a server may not have made itself: expired paths deleted, a chunk
/// recorded lost or taken back, lost chunks replaced. Each raises <see cref="ServedPathsChanged"/> in this process and
/// moves <c>vega_invalidation.generation</c> in its own transaction, which servers on SQLite poll, and on PostgreSQL
/// also notifies <see cref="CacheChange.Everything"/> (<c>Api/CacheCoherence.cs</c>), so a garbage collector or
/// <c>vega-lite verify</c> in another process is seen too. Writes to the object and cache tables, by any process,
/// are told by the database's own triggers (Migrations/*/vega_0002_change_triggers.sql).
/// </summary>
internal sealed partial class MetadataStore
{
    /// <summary>Raised in this process after a commit that changed which paths are served, or their NARs' completeness.</summary>
    public event Action? ServedPathsChanged;

    /// <summary>The invalidation counter; it moves whenever any process commits such a change.</summary>
    public async Task<long> GetInvalidationGenerationAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "SELECT generation FROM vega_invalidation WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Runs <paramref name="change"/> in a transaction that also moves the counter when it changed any row.</summary>
    private async Task<int> ChangeServedPathsAsync(DbConnection connection, DbCommand change, CancellationToken ct)
    {
        int rows;
        await using (var transaction = await database.BeginCollectingAsync(connection, ct))
        {
            change.Transaction = transaction;
            rows = await change.ExecuteNonQueryAsync(ct);
            if (rows > 0)
            {
                await BumpInvalidationAsync(connection, transaction, ct);
            }
            await transaction.CommitAsync(ct);
        }
        RaiseIfChanged(rows > 0);
        return rows;
    }

    private Task BumpInvalidationAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        database.NotifyEverythingAsync(connection, transaction, ct);

    private void RaiseIfChanged(bool changed)
    {
        if (changed)
        {
            ServedPathsChanged?.Invoke();
        }
    }
}
