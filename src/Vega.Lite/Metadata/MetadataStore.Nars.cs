using System.Data.Common;
using System.Text;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Metadata;

internal sealed partial class MetadataStore
{
    /// <summary>SQL condition on NAR row <c>n</c>: valid, and every one of its chunks exists and is valid.</summary>
    private const string CompleteNar =
        "n.state = 'V' AND n.num_chunks = (SELECT COUNT(*) FROM chunkref r JOIN chunk k ON k.id = r.chunk_id WHERE r.nar_id = n.id AND k.state = 'V')";

    /// <summary>A valid NAR with this hash whose chunks all exist, for whole-NAR dedup; null if none.</summary>
    public async Task<ExistingNar?> FindCompleteNarAsync(string narHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $$"""
            SELECT n.id, n.nar_size, n.compression FROM nar n
            WHERE n.nar_hash = @hash AND {{CompleteNar}}
            ORDER BY n.id LIMIT 1
            """);
        command.Bind("@hash", narHash);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ExistingNar(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)) : null;
    }

    /// <summary>
    /// Records a NAR that `nix copy` PUT under a file name, in one transaction: the new NAR when <paramref name="nar"/>
    /// is given (or an identical one recorded meanwhile), else the existing <paramref name="existingNarId"/>; then the
    /// upload row.
    /// </summary>
    public async Task<RecordedNar> RecordNixUploadAsync(long cacheId, string fileName, NarToRecord? nar, long? existingNarId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var holds = await (nar is not null ? HoldReusedChunksAsync(connection, nar, ct) : HoldAsync(connection, new Holds([existingNarId!.Value], []), ct))
            ?? throw new ChunkCollectedException();
        RecordedNar recorded;
        try
        {
            await using var transaction = await database.BeginRecordingAsync(connection, ct);
            recorded = nar is not null ? await InsertNarAsync(connection, transaction, nar, ct) : new RecordedNar(existingNarId!.Value, true);
            await using (var upload = Command(connection,
                """
                INSERT INTO vega_nix_upload (cache_id, file_name, nar_id, created_at) VALUES (@cache, @file, @nar, @now)
                ON CONFLICT (cache_id, file_name) DO UPDATE SET nar_id = excluded.nar_id, created_at = excluded.created_at
                """, transaction))
            {
                upload.Bind("@cache", cacheId);
                upload.Bind("@file", fileName);
                upload.Bind("@nar", recorded.NarId);
                upload.Bind("@now", NowSeconds);
                await upload.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await ReleaseAsync(connection, holds);
        }
        RaiseIfChanged(recorded.RepairedOthers);
        return recorded;
    }

    /// <summary>The NAR a `nix copy` upload stored under this file name in this cache, if it is still complete.</summary>
    public async Task<(long NarId, string NarHash, long NarSize)?> FindNixUploadAsync(long cacheId, string fileName, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $$"""
            SELECT n.id, n.nar_hash, n.nar_size FROM vega_nix_upload u JOIN nar n ON n.id = u.nar_id
            WHERE u.cache_id = @cache AND u.file_name = @file AND {{CompleteNar}}
            """);
        command.Bind("@cache", cacheId);
        command.Bind("@file", fileName);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : null;
    }

    /// <summary>
    /// Inside a transaction: records a NAR and its chunks, and ends its upload lease. When a complete NAR with the same
    /// hash was recorded meanwhile (a concurrent upload), that one is returned and nothing is written: the caller then
    /// discards its own blobs.
    /// The chunks it reuses are held already (<see cref="HoldReusedChunksAsync"/>); a NAR an upload of the same bytes
    /// recorded meanwhile is not, and is taken as it is found here.
    /// </summary>
    private async Task<RecordedNar> InsertNarAsync(DbConnection connection, DbTransaction transaction, NarToRecord nar, CancellationToken ct)
    {
        await database.SerializeNarAsync(connection, transaction, nar.NarHash, ct);
        await using (var existing = Command(connection,
            $"SELECT n.id FROM nar n WHERE n.nar_hash = @hash AND n.nar_size = @size AND {CompleteNar} ORDER BY n.id LIMIT 1", transaction))
        {
            existing.Bind("@hash", nar.NarHash);
            existing.Bind("@size", nar.NarSize);
            if (await existing.ExecuteScalarAsync(ct) is long existingId)
            {
                return new RecordedNar(existingId, UsedExisting: true);
            }
        }
        var chunkIds = await InsertNewChunksAsync(connection, transaction, nar.Chunks, ct);
        var repaired = await RepairLostChunksAsync(connection, transaction,
            Enumerable.Range(0, chunkIds.Length).Where(seq => nar.Chunks[seq].New is not null).Select(seq => chunkIds[seq]).Distinct().ToList(), ct);
        if (repaired > 0)
        {
            await BumpInvalidationAsync(connection, transaction, ct);
        }
        long narId;
        await using (var insertNar = Command(connection,
            """
            INSERT INTO nar (state, nar_hash, nar_size, compression, num_chunks, holders_count, created_at)
            VALUES ('V', @hash, @size, @compression, @chunks, 0, @now)
            RETURNING id
            """, transaction))
        {
            insertNar.Bind("@hash", nar.NarHash);
            insertNar.Bind("@size", nar.NarSize);
            insertNar.Bind("@compression", nar.Compression);
            insertNar.Bind("@chunks", nar.Chunks.Count);
            insertNar.Bind("@now", Now);
            narId = (long)(await insertNar.ExecuteScalarAsync(ct))!;
        }
        await InsertChunkRefsAsync(connection, transaction, narId, chunkIds, ct);
        if (nar.LeaseId is not null)
        {
            await DeleteLeaseAsync(connection, transaction, nar.LeaseId, ct);
        }
        return new RecordedNar(narId, UsedExisting: false, RepairedOthers: repaired > 0);
    }

    /// <summary>New chunk rows per statement: a JSON array of up to this many rows, about 14 KiB of text.</summary>
    internal const int ChunkRowsPerStatement = 64;

    /// <summary>
    /// Inserts a row for each new blob of the NAR (once per blob, which a chunk repeated in the NAR shares) and returns
    /// the chunk id of every position, reused chunks included. The database makes the rows from a JSON array, one statement
    /// per <see cref="ChunkRowsPerStatement"/> rows instead of one per row.
    /// </summary>
    private async Task<long[]> InsertNewChunksAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PlannedChunk> chunks, CancellationToken ct)
    {
        var created = new Dictionary<string, long>(StringComparer.Ordinal); // by remote_file_id
        await using (var insert = Command(connection,
            $$"""
            INSERT INTO chunk (state, chunk_hash, chunk_size, file_hash, file_size, compression, remote_file, remote_file_id,
                               holders_count, created_at)
            SELECT 'V', j.value ->> 0, CAST(j.value ->> 1 AS BIGINT), j.value ->> 2, CAST(j.value ->> 3 AS BIGINT), j.value ->> 4,
                   j.value ->> 5, j.value ->> 6, 0, @now
            FROM {{database.JsonRows("@rows")}}
            RETURNING id, remote_file_id
            """, transaction))
        {
            insert.Bind("@now", Now);
            var rows = insert.Bind("@rows", null);
            var json = new StringBuilder();
            var pending = 0;
            foreach (var chunk in chunks)
            {
                if (chunk.New is { } blob && created.TryAdd(remoteFiles.Id(blob.BlobKey), 0))
                {
                    AppendChunkRow(json.Append(pending == 0 ? '[' : ','), blob, remoteFiles);
                    if (++pending == ChunkRowsPerStatement)
                    {
                        await InsertRowsAsync();
                    }
                }
            }
            if (pending > 0)
            {
                await InsertRowsAsync();
            }

            async Task InsertRowsAsync()
            {
                rows.Value = json.Append(']').ToString();
                await using var reader = await insert.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    created[reader.GetString(1)] = reader.GetInt64(0);
                }
                json.Clear();
                pending = 0;
            }
        }
        var ids = new long[chunks.Count];
        for (var seq = 0; seq < ids.Length; seq++)
        {
            ids[seq] = chunks[seq].New is not { } blob ? chunks[seq].ExistingId!.Value
                : created[remoteFiles.Id(blob.BlobKey)] is var id and > 0 ? id
                : throw new InvalidOperationException($"no chunk row came back for blob {blob.BlobKey}");
        }
        return ids;
    }

    /// <summary>
    /// One chunk row as a JSON array. Its strings are hex digests, a compression name, and the blob's remote_file id
    /// and JSON (<see cref="RemoteFiles"/>), made of a checked key and S3 names: nothing JSON would escape but the
    /// quotes of the remote_file JSON itself.
    /// </summary>
    private static void AppendChunkRow(StringBuilder json, NewChunk blob, RemoteFiles remoteFiles)
    {
        Span<char> hash = stackalloc char[NixHash.HexStringLength];
        blob.ChunkHash.WriteHexString(hash);
        json.Append("[\"").Append(hash).Append("\",").Append(blob.ChunkSize).Append(",\"");
        blob.FileHash.WriteHexString(hash);
        json.Append(hash).Append("\",").Append(blob.FileSize)
            .Append(",\"").Append(blob.Compression).Append("\",\"").Append(remoteFiles.Json(blob.BlobKey).Replace("\"", "\\\""))
            .Append("\",\"").Append(remoteFiles.Id(blob.BlobKey)).Append("\"]");
    }

    /// <summary>Chunk references per statement: a JSON array of up to this many ids, about 8 KiB of text.</summary>
    internal const int RefsPerStatement = 1024;

    /// <summary>
    /// The NAR's chunk list, <paramref name="chunkIds"/> in order: the database makes the rows from a JSON array of ids, one
    /// statement per <see cref="RefsPerStatement"/> chunks instead of one per chunk (8,192 for a 512 MiB NAR, each with
    /// its reader, bound values and task).
    /// </summary>
    private async Task InsertChunkRefsAsync(DbConnection connection, DbTransaction transaction, long narId, long[] chunkIds, CancellationToken ct)
    {
        // Attic's L1 chunkref also names each chunk's hash and compression (NOT NULL, no default).
        await using var insert = Command(connection, database.ChunkRefCarriesChunk(connection, transaction)
            ? $$"""
              INSERT INTO chunkref (nar_id, seq, chunk_id, chunk_hash, compression)
              SELECT @nar, @first + j.key, k.id, k.chunk_hash, k.compression FROM {{database.JsonValues("@ids")}} JOIN chunk k ON k.id = CAST(j.value AS BIGINT)
              """
            : $"INSERT INTO chunkref (nar_id, seq, chunk_id) SELECT @nar, @first + j.key, CAST(j.value AS BIGINT) FROM {database.JsonValues("@ids")}", transaction);
        insert.Bind("@nar", narId);
        var first = insert.Bind("@first", null);
        var ids = insert.Bind("@ids", null);
        for (var start = 0; start < chunkIds.Length; start += RefsPerStatement)
        {
            first.Value = start;
            ids.Value = JsonArray(new ArraySegment<long>(chunkIds, start, Math.Min(RefsPerStatement, chunkIds.Length - start)));
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task<IReadOnlyList<ChunkLocation>> ReadChunkLocationsAsync(DbConnection connection, long narId, CancellationToken ct)
    {
        await using var command = Command(connection,
            """
            SELECT k.id, k.remote_file, k.file_size FROM chunkref r
            LEFT JOIN chunk k ON k.id = r.chunk_id AND k.state = 'V'
            WHERE r.nar_id = @nar ORDER BY r.seq
            """);
        command.Bind("@nar", narId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunks = new List<ChunkLocation>();
        while (await reader.ReadAsync(ct))
        {
            chunks.Add(new ChunkLocation(NullableLong(reader, 0), NullableString(reader, 1) is { } file ? remoteFiles.KeyOf(file) : null, NullableLong(reader, 2)));
        }
        return chunks;
    }
}
