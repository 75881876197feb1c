using System.Data.Common;

namespace Vega.Lite.Metadata;

internal sealed partial class MetadataStore
{
    /// <summary>SQL: object <c>o</c> with hash <c>@hash</c> in the live cache <c>c</c> named <c>@cache</c>, with its valid NAR <c>n</c>.</summary>
    private const string PathInLiveCache =
        """
        FROM object o
        JOIN cache c ON c.id = o.cache_id
        JOIN nar n ON n.id = o.nar_id
        WHERE c.name = @cache AND c.deleted_at IS NULL AND o.store_path_hash = @hash AND n.state = 'V'
        """;

    /// <summary>
    /// The store path in the named live cache, with its NAR, if that NAR is complete; null when there is none. A path
    /// whose NAR lost a chunk is missing for Nix too, so that <c>nix copy</c> pushes it again and repairs it.
    /// </summary>
    public async Task<StoredObject?> FindObjectAsync(string cacheName, string storePathHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $$"""
            SELECT o.store_path_hash, o.store_path, o."references", o.deriver, o.ca,
                   n.nar_hash, n.nar_size, n.compression, n.id
            {{PathInLiveCache}} AND {{CompleteNar}}
            """);
        command.Bind("@cache", cacheName);
        command.Bind("@hash", storePathHash);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new StoredObject(
            StorePathHash: reader.GetString(0),
            StorePath: reader.GetString(1),
            References: JsonColumns.Read(reader.GetString(2)),
            Deriver: NullableString(reader, 3),
            Ca: NullableString(reader, 4),
            NarHash: reader.GetString(5),
            NarSize: reader.GetInt64(6),
            Compression: reader.GetString(7),
            NarId: reader.GetInt64(8));
    }

    /// <summary>
    /// The chunks of the NAR behind a store path, in order, and marks the object as accessed (LRU for GC).
    /// Null when the path is not in the cache.
    /// </summary>
    public async Task<NarChunks?> GetNarChunksForDownloadAsync(string cacheName, string storePathHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        long objectId, narId;
        string compression;
        await using (var find = Command(connection,
            $$"""
            SELECT o.id, n.id, n.compression
            {{PathInLiveCache}}
            """))
        {
            find.Bind("@cache", cacheName);
            find.Bind("@hash", storePathHash);
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }
            objectId = reader.GetInt64(0);
            narId = reader.GetInt64(1);
            compression = reader.GetString(2);
        }
        await using (var touch = Command(connection, "UPDATE object SET last_accessed_at = @now WHERE id = @id"))
        {
            touch.Bind("@now", Now);
            touch.Bind("@id", objectId);
            await touch.ExecuteNonQueryAsync(ct);
        }
        return new NarChunks(narId, compression, await ReadChunkLocationsAsync(connection, narId, ct));
    }

    /// <summary>
    /// Records an uploaded NAR (or the identical one a concurrent upload recorded first) and the store path that points
    /// at it, in one transaction, so the path becomes visible exactly when its NAR does.
    /// </summary>
    public async Task<RecordedNar> RecordUploadedPathAsync(long cacheId, NarToRecord nar, ObjectMetadata metadata, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var holds = await HoldReusedChunksAsync(connection, nar, ct) ?? throw new ChunkCollectedException();
        RecordedNar recorded;
        try
        {
            await using var transaction = await database.BeginRecordingAsync(connection, ct);
            recorded = await InsertNarAsync(connection, transaction, nar, ct);
            await UpsertObjectAsync(connection, transaction, cacheId, recorded.NarId, metadata, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await ReleaseAsync(connection, holds);
        }
        RaiseIfChanged(recorded.RepairedOthers);
        return recorded;
    }

    /// <summary>
    /// Makes a store path visible in a cache, pointing at a stored NAR (whole-NAR dedup, a `nix copy` narinfo after its
    /// NAR), if that NAR is still complete; false when garbage collection took it since it was found. An upsert on
    /// (cache, hash): a re-upload replaces the metadata and resets the times, as Attic does.
    /// </summary>
    public async Task<bool> UpsertObjectForCompleteNarAsync(long cacheId, long narId, ObjectMetadata metadata, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await HoldAsync(connection, new Holds([narId], []), ct) is not { } holds)
        {
            return false;
        }
        try
        {
            await using var transaction = await database.BeginRecordingAsync(connection, ct);
            await UpsertObjectAsync(connection, transaction, cacheId, narId, metadata, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await ReleaseAsync(connection, holds);
        }
        return true;
    }

    /// <summary>Removes a store path from a cache; false when it was not there.</summary>
    public async Task<bool> DeleteObjectAsync(long cacheId, string storePathHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "DELETE FROM object WHERE cache_id = @cache AND store_path_hash = @hash");
        command.Bind("@cache", cacheId);
        command.Bind("@hash", storePathHash);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// Which of these store path hashes the cache holds with a complete NAR. A path whose NAR has lost a chunk
    /// counts as missing, so a push uploads it again and repairs it.
    /// </summary>
    public async Task<HashSet<string>> FindPresentPathsAsync(long cacheId, IReadOnlyList<string> storePathHashes, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $$"""
            SELECT o.store_path_hash FROM {{database.JsonValues("@hashes")}}
            {{database.OrderedJoin}} object o ON o.cache_id = @cache AND o.store_path_hash = j.value
            JOIN nar n ON n.id = o.nar_id
            WHERE {{CompleteNar}}
            """); // a join, not IN (…): one index probe per hash, without first de-duplicating the list (a hash given twice is found twice)
        command.Bind("@cache", cacheId);
        command.Bind("@hashes", JsonColumns.Write(storePathHashes));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var present = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            present.Add(reader.GetString(0));
        }
        return present;
    }

    private async Task UpsertObjectAsync(
        DbConnection connection, DbTransaction transaction, long cacheId, long narId, ObjectMetadata metadata, CancellationToken ct)
    {
        await using var command = Command(connection,
            """
            INSERT INTO object (cache_id, nar_id, store_path_hash, store_path, "references", system, deriver, sigs, ca,
                                created_at, last_accessed_at, created_by)
            VALUES (@cache, @nar, @hash, @path, @refs, NULL, @deriver, @sigs, @ca, @now, NULL, @by)
            ON CONFLICT (cache_id, store_path_hash) DO UPDATE SET
                nar_id = excluded.nar_id, store_path = excluded.store_path, "references" = excluded."references",
                system = NULL, deriver = excluded.deriver, sigs = excluded.sigs, ca = excluded.ca,
                created_at = excluded.created_at, last_accessed_at = NULL, created_by = excluded.created_by
            """, transaction);
        command.Bind("@cache", cacheId);
        command.Bind("@nar", narId);
        command.Bind("@hash", metadata.StorePathHash);
        command.Bind("@path", metadata.StorePath);
        command.Bind("@refs", JsonColumns.Write(metadata.References));
        command.Bind("@deriver", metadata.Deriver);
        command.Bind("@sigs", JsonColumns.Write(metadata.Sigs));
        command.Bind("@ca", metadata.Ca);
        command.Bind("@now", Now);
        command.Bind("@by", metadata.CreatedBy);
        await command.ExecuteNonQueryAsync(ct);
    }
}
