using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>
/// The heartbeats of the processes that own upload leases (<c>vega_instance</c>), on the database's clock, so that
/// hosts whose clocks differ agree on what is fresh.
/// </summary>
internal sealed partial class MetadataStore
{
    /// <summary>Records that <paramref name="process"/> is alive now.</summary>
    public async Task BeatAsync(string process, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await BeatAsync(connection, null, process, ct);
    }

    private async Task BeatAsync(DbConnection connection, DbTransaction? transaction, string process, CancellationToken ct)
    {
        await using var command = Command(connection,
            $"""
            INSERT INTO vega_instance (process, started_at, heartbeat_at) VALUES (@process, {database.UnixNow}, {database.UnixNow})
            ON CONFLICT (process) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """, transaction);
        command.Bind("@process", process);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A process that stops cleanly ends its heartbeat; its leases are then collectable at once.</summary>
    public async Task EndHeartbeatAsync(string process, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "DELETE FROM vega_instance WHERE process = @process", null);
        command.Bind("@process", process);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The processes whose heartbeat is at most <paramref name="expiry"/> old.</summary>
    public async Task<IReadOnlySet<string>> GetLiveProcessesAsync(TimeSpan expiry, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, $"SELECT process FROM vega_instance WHERE heartbeat_at >= {database.UnixNow} - @expiry");
        command.Bind("@expiry", (long)expiry.TotalSeconds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var live = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            live.Add(reader.GetString(0));
        }
        return live;
    }

    /// <summary>Forgets heartbeats that stopped a day ago and own no lease.</summary>
    public async Task DeleteStaleHeartbeatsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"DELETE FROM vega_instance WHERE heartbeat_at < {database.UnixNow} - 86400 AND process NOT IN (SELECT owner FROM vega_upload_lease)");
        await command.ExecuteNonQueryAsync(ct);
    }
}
