using Microsoft.Data.Sqlite;

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
            WHERE n.nar_hash = $hash AND {{CompleteNar}}
            ORDER BY n.id LIMIT 1
            """);
        command.Parameters.AddWithValue("$hash", narHash);
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
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var recorded = nar is not null ? await InsertNarAsync(connection, transaction, nar, ct) : new RecordedNar(existingNarId!.Value, true);
        await using (var upload = Command(connection,
            """
            INSERT INTO nix_upload (cache_id, file_name, nar_id, created_at) VALUES ($cache, $file, $nar, $now)
            ON CONFLICT (cache_id, file_name) DO UPDATE SET nar_id = excluded.nar_id, created_at = excluded.created_at
            """, transaction))
        {
            upload.Parameters.AddWithValue("$cache", cacheId);
            upload.Parameters.AddWithValue("$file", fileName);
            upload.Parameters.AddWithValue("$nar", recorded.NarId);
            upload.Parameters.AddWithValue("$now", Now);
            await upload.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return recorded;
    }

    /// <summary>The NAR a `nix copy` upload stored under this file name in this cache, if it is still complete.</summary>
    public async Task<(long NarId, string NarHash, long NarSize)?> FindNixUploadAsync(long cacheId, string fileName, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $$"""
            SELECT n.id, n.nar_hash, n.nar_size FROM nix_upload u JOIN nar n ON n.id = u.nar_id
            WHERE u.cache_id = $cache AND u.file_name = $file AND {{CompleteNar}}
            """);
        command.Parameters.AddWithValue("$cache", cacheId);
        command.Parameters.AddWithValue("$file", fileName);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : null;
    }

    /// <summary>
    /// Inside a transaction: records a NAR and its chunks, and ends its upload lease. When a complete NAR with the same
    /// hash was recorded meanwhile (a concurrent upload), that one is returned and nothing is written: the caller then
    /// discards its own blobs. Throws <see cref="ChunkCollectedException"/> when a reused chunk was collected meanwhile.
    /// </summary>
    private async Task<RecordedNar> InsertNarAsync(SqliteConnection connection, SqliteTransaction transaction, NarToRecord nar, CancellationToken ct)
    {
        await using (var existing = Command(connection,
            $"SELECT n.id FROM nar n WHERE n.nar_hash = $hash AND n.nar_size = $size AND {CompleteNar} ORDER BY n.id LIMIT 1", transaction))
        {
            existing.Parameters.AddWithValue("$hash", nar.NarHash);
            existing.Parameters.AddWithValue("$size", nar.NarSize);
            if (await existing.ExecuteScalarAsync(ct) is long existingId)
            {
                return new RecordedNar(existingId, UsedExisting: true);
            }
        }
        var reused = nar.Chunks.Where(c => c.ExistingId is not null).Select(c => c.ExistingId!.Value).Distinct().ToList();
        if (reused.Count > 0)
        {
            await using var check = Command(connection,
                "SELECT COUNT(*) FROM chunk WHERE id IN (SELECT value FROM json_each($ids)) AND state = 'V'", transaction);
            check.Parameters.AddWithValue("$ids", "[" + string.Join(',', reused) + "]");
            if ((long)(await check.ExecuteScalarAsync(ct))! != reused.Count)
            {
                throw new ChunkCollectedException();
            }
        }
        var chunkIds = new long[nar.Chunks.Count];
        var created = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var insertChunk = Command(connection,
            """
            INSERT INTO chunk (state, chunk_hash, chunk_size, file_hash, file_size, compression, remote_file, remote_file_id,
                               holders_count, created_at)
            VALUES ('V', $hash, $size, $fileHash, $fileSize, $compression, $key, $keyId, 0, $now)
            RETURNING id
            """, transaction))
        {
            var parameters = insertChunk.Parameters;
            foreach (var name in new[] { "$hash", "$size", "$fileHash", "$fileSize", "$compression", "$key", "$keyId", "$now" })
            {
                parameters.Add(new SqliteParameter { ParameterName = name });
            }
            for (var seq = 0; seq < nar.Chunks.Count; seq++)
            {
                if (nar.Chunks[seq] is { New: { } blob })
                {
                    if (!created.TryGetValue(blob.BlobKey, out var id))
                    {
                        parameters["$hash"].Value = blob.ChunkHash.ToHexString();
                        parameters["$size"].Value = blob.ChunkSize;
                        parameters["$fileHash"].Value = blob.FileHash.ToHexString();
                        parameters["$fileSize"].Value = blob.FileSize;
                        parameters["$compression"].Value = blob.Compression;
                        parameters["$key"].Value = blob.BlobKey;
                        parameters["$keyId"].Value = "blob:" + blob.BlobKey;
                        parameters["$now"].Value = Now;
                        id = (long)(await insertChunk.ExecuteScalarAsync(ct))!;
                        created[blob.BlobKey] = id;
                    }
                    chunkIds[seq] = id;
                }
                else
                {
                    chunkIds[seq] = nar.Chunks[seq].ExistingId!.Value;
                }
            }
        }
        long narId;
        await using (var insertNar = Command(connection,
            """
            INSERT INTO nar (state, nar_hash, nar_size, compression, num_chunks, holders_count, created_at)
            VALUES ('V', $hash, $size, $compression, $chunks, 0, $now)
            RETURNING id
            """, transaction))
        {
            insertNar.Parameters.AddWithValue("$hash", nar.NarHash);
            insertNar.Parameters.AddWithValue("$size", nar.NarSize);
            insertNar.Parameters.AddWithValue("$compression", nar.Compression);
            insertNar.Parameters.AddWithValue("$chunks", nar.Chunks.Count);
            insertNar.Parameters.AddWithValue("$now", Now);
            narId = (long)(await insertNar.ExecuteScalarAsync(ct))!;
        }
        await using (var insertRef = Command(connection, "INSERT INTO chunkref (nar_id, seq, chunk_id) VALUES ($nar, $seq, $chunk)", transaction))
        {
            insertRef.Parameters.AddWithValue("$nar", narId);
            var seqParameter = insertRef.Parameters.Add(new SqliteParameter { ParameterName = "$seq" });
            var chunkParameter = insertRef.Parameters.Add(new SqliteParameter { ParameterName = "$chunk" });
            for (var seq = 0; seq < chunkIds.Length; seq++)
            {
                seqParameter.Value = seq;
                chunkParameter.Value = chunkIds[seq];
                await insertRef.ExecuteNonQueryAsync(ct);
            }
        }
        if (nar.LeaseId is not null)
        {
            await DeleteLeaseAsync(connection, transaction, nar.LeaseId, ct);
        }
        return new RecordedNar(narId, UsedExisting: false);
    }

    private static async Task<IReadOnlyList<ChunkLocation>> ReadChunkLocationsAsync(SqliteConnection connection, long narId, CancellationToken ct)
    {
        await using var command = Command(connection,
            """
            SELECT k.remote_file, k.file_size FROM chunkref r
            LEFT JOIN chunk k ON k.id = r.chunk_id AND k.state = 'V'
            WHERE r.nar_id = $nar ORDER BY r.seq
            """);
        command.Parameters.AddWithValue("$nar", narId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunks = new List<ChunkLocation>();
        while (await reader.ReadAsync(ct))
        {
            chunks.Add(new ChunkLocation(NullableString(reader, 0), NullableLong(reader, 1)));
        }
        return chunks;
    }
}
