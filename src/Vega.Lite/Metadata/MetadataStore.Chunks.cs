using Microsoft.Data.Sqlite;

namespace Vega.Lite.Metadata;

internal sealed partial class MetadataStore
{
    /// <summary>Lookups of valid chunks by content hash (one NAR's, or a whole NAR's own), on a connection of their own until disposed.</summary>
    public ChunkLookup OpenChunkLookup(string compression) => new(database.Open(), compression);

    /// <summary>
    /// Records an upload's claim on the blobs it is about to write, before the first one exists, and beats the owner's
    /// heartbeat in the same transaction, so no collector sees a lease without a fresh owner.
    /// </summary>
    public async Task CreateLeaseAsync(string leaseId, string owner, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using (var command = Command(connection, "INSERT INTO upload_lease (id, owner, created_at) VALUES ($id, $owner, $now)", transaction))
        {
            command.Parameters.AddWithValue("$id", leaseId);
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$now", Now);
            await command.ExecuteNonQueryAsync(ct);
        }
        await BeatAsync(connection, transaction, owner, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Ends a lease whose blobs are deleted (or recorded as chunks).</summary>
    public async Task DeleteLeaseAsync(string leaseId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await DeleteLeaseAsync(connection, null, leaseId, ct);
    }

    private static async Task DeleteLeaseAsync(SqliteConnection connection, SqliteTransaction? transaction, string leaseId, CancellationToken ct)
    {
        await using var command = Command(connection, "DELETE FROM upload_lease WHERE id = $id", transaction);
        command.Parameters.AddWithValue("$id", leaseId);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A chunk an upload meant to reuse was garbage-collected before the upload was recorded; the client should retry.</summary>
internal sealed class ChunkCollectedException() : Exception("a chunk this upload reuses was garbage-collected meanwhile; retry the upload");
