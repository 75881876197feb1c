using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>The queries of garbage collection (docs/attic-api.md §7), one per phase.</summary>
internal sealed partial class MetadataStore
{
    /// <summary>`nix copy` uploads whose narinfo never came (or came long ago) stop holding their NAR after this.</summary>
    public static readonly TimeSpan NixUploadGrace = TimeSpan.FromDays(1);

    /// <summary>SQL: the Attic time a cache's retention period before now, in whole seconds (its objects' times are text).</summary>
    private string Cutoff => database.TimeFromUnixSeconds("@now - COALESCE(c.retention_period, @default)");

    /// <summary>
    /// Phase 1: deletes objects older than their cache's retention period (the cache's own, else
    /// <paramref name="defaultRetentionSeconds"/>; 0 = keep forever) and not downloaded within it. Soft-deleted caches
    /// included. Also forgets stale `nix copy` uploads.
    /// </summary>
    public async Task<int> DeleteExpiredObjectsAsync(long defaultRetentionSeconds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var objects = Command(connection,
            $$"""
            DELETE FROM object WHERE id IN (
                SELECT o.id FROM object o JOIN cache c ON c.id = o.cache_id
                WHERE COALESCE(c.retention_period, @default) > 0
                  AND o.created_at < {{Cutoff}}
                  AND (o.last_accessed_at IS NULL OR o.last_accessed_at < {{Cutoff}}))
            """);
        objects.Bind("@default", defaultRetentionSeconds);
        objects.Bind("@now", NowSeconds);
        var deleted = await ChangeServedPathsAsync(connection, objects, ct);
        await using var uploads = Command(connection, "DELETE FROM vega_nix_upload WHERE created_at < @cutoff");
        uploads.Bind("@cutoff", NowSeconds - (long)NixUploadGrace.TotalSeconds);
        await uploads.ExecuteNonQueryAsync(ct);
        return deleted;
    }

    /// <summary>Phase 2: deletes valid NARs that no object and no `nix copy` upload refers to; their chunk refs go with them.</summary>
    public async Task<int> DeleteOrphanNarsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            DELETE FROM nar WHERE state = 'V' AND holders_count = 0
              AND NOT EXISTS (SELECT 1 FROM object o WHERE o.nar_id = nar.id)
              AND NOT EXISTS (SELECT 1 FROM vega_nix_upload u WHERE u.nar_id = nar.id)
            """);
        return await CollectAsync(connection, command, ct);
    }

    /// <summary>Phase 3a: valid chunks no NAR refers to become 'D' (to be deleted); they can no longer be reused.</summary>
    public async Task<int> MarkOrphanChunksAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            UPDATE chunk SET state = 'D'
            WHERE state = 'V' AND holders_count = 0 AND NOT EXISTS (SELECT 1 FROM chunkref r WHERE r.chunk_id = chunk.id)
            """);
        return await CollectAsync(connection, command, ct);
    }

    /// <summary>
    /// Phase 3b: a page of chunks marked for deletion, with their blob keys. A lost chunk a NAR still refers to waits
    /// (MetadataStore.LostChunks.cs): a push of its bytes takes its place in that NAR.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, string BlobKey, long FileSize)>> GetChunksToDeleteAsync(int limit, long afterId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"SELECT id, remote_file, file_size FROM chunk WHERE state = 'D' AND id > @after AND NOT {ChunkIsReferenced} ORDER BY id LIMIT @limit");
        command.Bind("@after", afterId);
        command.Bind("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunks = new List<(long, string, long)>();
        while (await reader.ReadAsync(ct))
        {
            chunks.Add((reader.GetInt64(0), remoteFiles.KeyOf(reader.GetString(1)), NullableLong(reader, 2) ?? 0));
        }
        return chunks;
    }

    /// <summary>Phase 3c: forgets chunks whose blobs are deleted.</summary>
    public async Task DeleteChunkRowsAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"DELETE FROM chunk WHERE state = 'D' AND id IN (SELECT CAST(j.value AS BIGINT) FROM {database.JsonValues("@ids")})");
        command.Bind("@ids", JsonArray(ids));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Runs one orphan statement apart from every recording transaction (<see cref="MetadataDatabase.BeginCollectingAsync"/>):
    /// on PostgreSQL a concurrent upload's new reference to the row is either committed before the statement starts,
    /// and seen by it, or made after it, when the row is gone or marked and the upload's own check fails
    /// (docs/attic-database.md §5.2(b)).
    /// </summary>
    private async Task<int> CollectAsync(DbConnection connection, DbCommand command, CancellationToken ct)
    {
        await using var transaction = await database.BeginCollectingAsync(connection, ct);
        command.Transaction = transaction;
        var rows = await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return rows;
    }

    /// <summary>Every upload lease, for finding the ones whose process is gone.</summary>
    public async Task<IReadOnlyList<(string Id, string Owner)>> GetLeasesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "SELECT id, owner FROM vega_upload_lease ORDER BY created_at");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var leases = new List<(string, string)>();
        while (await reader.ReadAsync(ct))
        {
            leases.Add((reader.GetString(0), reader.GetString(1)));
        }
        return leases;
    }
}
