namespace Vega.Lite.Metadata;

/// <summary>The queries of garbage collection (docs/attic-api.md §7), one per phase.</summary>
internal sealed partial class MetadataStore
{
    /// <summary>`nix copy` uploads whose narinfo never came (or came long ago) stop holding their NAR after this.</summary>
    public static readonly TimeSpan NixUploadGrace = TimeSpan.FromDays(1);

    /// <summary>SQL: the Attic time a cache's retention period before now, in whole seconds (its objects' times are text).</summary>
    private static readonly string Cutoff = AtticTime.FromUnixSecondsSql("$now - COALESCE(c.retention_period, $default)");

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
                WHERE COALESCE(c.retention_period, $default) > 0
                  AND o.created_at < {{Cutoff}}
                  AND (o.last_accessed_at IS NULL OR o.last_accessed_at < {{Cutoff}}))
            """);
        objects.Parameters.AddWithValue("$default", defaultRetentionSeconds);
        objects.Parameters.AddWithValue("$now", NowSeconds);
        var deleted = await ChangeServedPathsAsync(connection, objects, ct);
        await using var uploads = Command(connection, "DELETE FROM vega_nix_upload WHERE created_at < $cutoff");
        uploads.Parameters.AddWithValue("$cutoff", NowSeconds - (long)NixUploadGrace.TotalSeconds);
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
        return await command.ExecuteNonQueryAsync(ct);
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
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Phase 3b: a page of chunks marked for deletion, with their blob keys. A lost chunk a NAR still refers to waits
    /// (MetadataStore.LostChunks.cs): a push of its bytes takes its place in that NAR.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, string BlobKey)>> GetChunksToDeleteAsync(int limit, long afterId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"SELECT id, remote_file FROM chunk WHERE state = 'D' AND id > $after AND NOT {ChunkIsReferenced} ORDER BY id LIMIT $limit");
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunks = new List<(long, string)>();
        while (await reader.ReadAsync(ct))
        {
            chunks.Add((reader.GetInt64(0), remoteFiles.KeyOf(reader.GetString(1))));
        }
        return chunks;
    }

    /// <summary>Phase 3c: forgets chunks whose blobs are deleted.</summary>
    public async Task DeleteChunkRowsAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "DELETE FROM chunk WHERE state = 'D' AND id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$ids", JsonArray(ids));
        await command.ExecuteNonQueryAsync(ct);
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
