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
    /// Whole-NAR dedup: takes a hold on a complete NAR with this hash (so garbage collection leaves it alone while an
    /// upload points a path at it) and returns it; null if there is none. Release the hold with <see cref="ReleaseNarAsync"/>.
    /// </summary>
    public async Task<ExistingNar?> HoldCompleteNarAsync(string narHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $$"""
            UPDATE nar SET holders_count = holders_count + 1
            WHERE id = (SELECT n.id FROM nar n WHERE n.nar_hash = $hash AND {{CompleteNar}} ORDER BY n.id LIMIT 1)
            RETURNING id, nar_size, compression
            """);
        command.Parameters.AddWithValue("$hash", narHash);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ExistingNar(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)) : null;
    }

    public async Task ReleaseNarAsync(long narId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = Command(connection, "UPDATE nar SET holders_count = MAX(holders_count - 1, 0) WHERE id = $id");
        command.Parameters.AddWithValue("$id", narId);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Records a NAR that `nix copy` PUT under a file name, in one transaction: a new NAR (one chunk) when
    /// <paramref name="stored"/> is given, else the existing <paramref name="existingNarId"/>; then the upload row.
    /// </summary>
    public async Task<long> RecordNixUploadAsync(long cacheId, string fileName, StoredNar? stored, long? existingNarId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var narId = stored is not null ? await InsertSingleChunkNarAsync(connection, transaction, stored, ct) : existingNarId!.Value;
        await using (var upload = Command(connection,
            """
            INSERT INTO nix_upload (cache_id, file_name, nar_id, created_at) VALUES ($cache, $file, $nar, $now)
            ON CONFLICT (cache_id, file_name) DO UPDATE SET nar_id = excluded.nar_id, created_at = excluded.created_at
            """, transaction))
        {
            upload.Parameters.AddWithValue("$cache", cacheId);
            upload.Parameters.AddWithValue("$file", fileName);
            upload.Parameters.AddWithValue("$nar", narId);
            upload.Parameters.AddWithValue("$now", Now);
            await upload.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return narId;
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

    private async Task<long> InsertSingleChunkNarAsync(SqliteConnection connection, SqliteTransaction transaction, StoredNar stored, CancellationToken ct)
    {
        long chunkId;
        await using (var chunk = Command(connection,
            """
            INSERT INTO chunk (state, chunk_hash, chunk_size, file_hash, file_size, compression, remote_file, remote_file_id,
                               holders_count, created_at)
            VALUES ('V', $hash, $size, $fileHash, $fileSize, $compression, $key, $keyId, 0, $now)
            RETURNING id
            """, transaction))
        {
            chunk.Parameters.AddWithValue("$hash", stored.NarHash);
            chunk.Parameters.AddWithValue("$size", stored.NarSize);
            chunk.Parameters.AddWithValue("$fileHash", stored.FileHash);
            chunk.Parameters.AddWithValue("$fileSize", stored.FileSize);
            chunk.Parameters.AddWithValue("$compression", stored.Compression);
            chunk.Parameters.AddWithValue("$key", stored.BlobKey);
            chunk.Parameters.AddWithValue("$keyId", "blob:" + stored.BlobKey);
            chunk.Parameters.AddWithValue("$now", Now);
            chunkId = (long)(await chunk.ExecuteScalarAsync(ct))!;
        }
        long narId;
        await using (var nar = Command(connection,
            """
            INSERT INTO nar (state, nar_hash, nar_size, compression, num_chunks, holders_count, created_at)
            VALUES ('V', $hash, $size, $compression, 1, 0, $now)
            RETURNING id
            """, transaction))
        {
            nar.Parameters.AddWithValue("$hash", stored.NarHash);
            nar.Parameters.AddWithValue("$size", stored.NarSize);
            nar.Parameters.AddWithValue("$compression", stored.Compression);
            nar.Parameters.AddWithValue("$now", Now);
            narId = (long)(await nar.ExecuteScalarAsync(ct))!;
        }
        await using (var chunkref = Command(connection,
            "INSERT INTO chunkref (nar_id, seq, chunk_id) VALUES ($nar, 0, $chunk)", transaction))
        {
            chunkref.Parameters.AddWithValue("$nar", narId);
            chunkref.Parameters.AddWithValue("$chunk", chunkId);
            await chunkref.ExecuteNonQueryAsync(ct);
        }
        return narId;
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
