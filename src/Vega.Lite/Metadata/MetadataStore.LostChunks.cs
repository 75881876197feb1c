using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>
/// Chunks whose blob is lost from storage (Attic #211, #155). A lost chunk goes to state 'D', Attic's "to be deleted":
/// the complete-NAR check, whole-NAR dedup and the chunk lookup take only 'V' chunks, so its NARs count as missing and
/// the next push of those bytes stores fresh blobs. Unlike an orphan 'D' chunk, a lost one keeps its row while a NAR
/// refers to it, so that a fresh chunk with the same content can take its place in every such NAR; once none does,
/// garbage collection removes the row (and the blob, if a corrupted one is left).
/// </summary>
internal sealed partial class MetadataStore
{
    /// <summary>SQL condition on chunk row <c>chunk</c>: some NAR refers to it.</summary>
    private const string ChunkIsReferenced = "EXISTS (SELECT 1 FROM chunkref r WHERE r.chunk_id = chunk.id)";

    /// <summary>Records that a valid chunk's blob is gone or damaged; false when it was not valid (already recorded, or collected).</summary>
    public async Task<bool> RecordLostChunkAsync(long chunkId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "UPDATE chunk SET state = 'D' WHERE id = @id AND state = 'V'");
        command.Bind("@id", chunkId);
        return await ChangeServedPathsAsync(connection, command, ct) == 1;
    }

    /// <summary>
    /// Takes back a lost chunk whose blob turned out to be whole (restored from a backup, say); false when no NAR
    /// refers to it any more or it is not lost.
    /// </summary>
    public async Task<bool> RestoreLostChunkAsync(long chunkId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, $"UPDATE chunk SET state = 'V' WHERE id = @id AND state = 'D' AND {ChunkIsReferenced}");
        command.Bind("@id", chunkId);
        return await ChangeServedPathsAsync(connection, command, ct) == 1;
    }

    /// <summary>A page of the chunks whose blobs a verify pass checks: every valid one, and every lost one a NAR still needs.</summary>
    public async Task<IReadOnlyList<ChunkToVerify>> GetChunksToVerifyAsync(int limit, long afterId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"""
            SELECT id, remote_file, file_hash, file_size, state FROM chunk
            WHERE id > @after AND (state = 'V' OR (state = 'D' AND {ChunkIsReferenced}))
            ORDER BY id LIMIT @limit
            """);
        command.Bind("@after", afterId);
        command.Bind("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunks = new List<ChunkToVerify>();
        while (await reader.ReadAsync(ct))
        {
            chunks.Add(new ChunkToVerify(reader.GetInt64(0), remoteFiles.KeyOf(reader.GetString(1)), NullableString(reader, 2), NullableLong(reader, 3),
                RecordedLost: reader.GetString(4) == "D"));
        }
        return chunks;
    }

    /// <summary>How many NARs lack a chunk (lost, or gone altogether), and how many store paths use them.</summary>
    public async Task<(long Nars, long Paths)> CountIncompleteNarsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            WITH broken AS (
                SELECT DISTINCT r.nar_id AS id FROM chunkref r LEFT JOIN chunk k ON k.id = r.chunk_id
                WHERE k.id IS NULL OR k.state <> 'V')
            SELECT (SELECT COUNT(*) FROM broken), (SELECT COUNT(*) FROM object o WHERE o.nar_id IN (SELECT id FROM broken))
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Inside the transaction that records a NAR: every NAR that refers to a lost chunk with the same content hash and
    /// compression as one of <paramref name="freshChunkIds"/> now refers to the fresh chunk instead. Same uncompressed
    /// bytes and the same compression, so each such NAR serves what it did before (its compressed size is summed from
    /// its chunks when served), and a push of one NAR repairs every other NAR that shared the lost chunk.
    /// </summary>
    private async Task<int> RepairLostChunksAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<long> freshChunkIds, CancellationToken ct)
    {
        var replacements = new List<(long Lost, long Fresh)>();
        // The ordered join fixes the order: from each fresh id to the chunks with its hash, never from every 'D' chunk (many
        // between a GC pass's marking and its deleting) to a scan of the ids.
        await using (var find = Command(connection,
            $"""
            SELECT lost.id, fresh.id FROM {database.JsonValues("@ids")}
            {database.OrderedJoin} chunk fresh ON fresh.id = CAST(j.value AS BIGINT)
            {database.OrderedJoin} chunk lost ON lost.chunk_hash = fresh.chunk_hash AND lost.compression = fresh.compression AND lost.state = 'D'
            """, transaction))
        {
            var ids = find.Bind("@ids", null);
            for (var start = 0; start < freshChunkIds.Count; start += RefsPerStatement)
            {
                ids.Value = JsonArray(freshChunkIds.Skip(start).Take(RefsPerStatement));
                await using var reader = await find.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    replacements.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            }
        }
        if (replacements.Count == 0)
        {
            return 0;
        }
        await using var repoint = Command(connection, "UPDATE chunkref SET chunk_id = @fresh WHERE chunk_id = @lost", transaction);
        var lostId = repoint.Bind("@lost", null);
        var freshId = repoint.Bind("@fresh", null);
        foreach (var (lost, fresh) in replacements)
        {
            lostId.Value = lost;
            freshId.Value = fresh;
            await repoint.ExecuteNonQueryAsync(ct);
        }
        return replacements.Count;
    }
}
