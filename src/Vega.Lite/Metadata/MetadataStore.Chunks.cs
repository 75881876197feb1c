using System.Data.Common;

namespace Vega.Lite.Metadata;

internal sealed partial class MetadataStore
{
    /// <summary>Lookups of valid chunks by content hash (one NAR's, or a whole NAR's own), on a connection of their own until disposed.</summary>
    public ChunkLookup OpenChunkLookup(string compression) => new(database, compression);

    /// <summary>
    /// Records an upload's claim on the blobs it is about to write, before the first one exists, and beats the owner's
    /// heartbeat in the same transaction, so no collector sees a lease without a fresh owner.
    /// </summary>
    public async Task CreateLeaseAsync(string leaseId, string owner, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = Command(connection, "INSERT INTO vega_upload_lease (id, owner, created_at) VALUES (@id, @owner, @now)", transaction))
        {
            command.Bind("@id", leaseId);
            command.Bind("@owner", owner);
            command.Bind("@now", NowSeconds);
            await command.ExecuteNonQueryAsync(ct);
        }
        await BeatAsync(connection, transaction, owner, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>How many rows <see cref="FindChunksElsewhereAsync"/> reads at most.</summary>
    internal const int ChunksElsewhereExamined = 10_000;

    /// <summary>
    /// The start-up check of an existing database against the configured storage: chunks whose <c>remote_file</c> this
    /// server cannot read (another kind of storage, another bucket, not Attic's JSON), counted among the rows whose
    /// <c>remote_file_id</c> falls outside this storage's range (an index range, so a database of millions of chunks
    /// in the configured storage costs two seeks), with up to three of them to show.
    /// </summary>
    public async Task<(int Count, IReadOnlyList<string> Examples)> FindChunksElsewhereAsync(CancellationToken ct)
    {
        var (from, to) = remoteFiles.IdRange;
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"SELECT remote_file FROM chunk WHERE {database.Ordinal("remote_file_id")} < @from OR {database.Ordinal("remote_file_id")} >= @to LIMIT @limit");
        command.Bind("@from", from);
        command.Bind("@to", to);
        command.Bind("@limit", ChunksElsewhereExamined);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var count = 0;
        var examples = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            try
            {
                remoteFiles.KeyOf(reader.GetString(0));
            }
            catch (InvalidDataException e)
            {
                if (count++ < 3)
                {
                    examples.Add(e.Message);
                }
            }
        }
        return (count, examples);
    }

    /// <summary>Ends a lease whose blobs are deleted (or recorded as chunks).</summary>
    public async Task DeleteLeaseAsync(string leaseId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await DeleteLeaseAsync(connection, null, leaseId, ct);
    }

    private static async Task DeleteLeaseAsync(DbConnection connection, DbTransaction? transaction, string leaseId, CancellationToken ct)
    {
        await using var command = Command(connection, "DELETE FROM vega_upload_lease WHERE id = @id", transaction);
        command.Bind("@id", leaseId);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A chunk an upload meant to reuse was garbage-collected before the upload was recorded; the client should retry.</summary>
internal sealed class ChunkCollectedException() : Exception("a chunk this upload reuses was garbage-collected meanwhile; retry the upload");
