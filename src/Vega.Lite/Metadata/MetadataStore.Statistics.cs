namespace Vega.Lite.Metadata;

/// <summary>What a cache holds, as the status page and the metrics show it.</summary>
/// <param name="NarBytes">The NAR sizes of its paths (what <c>nix copy</c> would transfer uncompressed).</param>
/// <param name="StoredBytes">The compressed files of the distinct chunks its paths use, shared with other caches or not.</param>
/// <param name="ChunkBytes">Those chunks unpacked: NAR bytes over chunk bytes is what deduplication saved.</param>
/// <param name="LastPush">Unix seconds of its newest path; null when it has none.</param>
internal sealed record CacheUsage(long Objects, long NarBytes, long StoredBytes, long ChunkBytes, long? LastPush);

/// <summary>The whole storage: every valid NAR and chunk once, whatever the caches that use them.</summary>
internal sealed record StorageUsage(long Objects, long NarBytes, long StoredBytes, long ChunkBytes);

/// <summary>One garbage-collection pass as <c>vega_gc_run</c> keeps it.</summary>
internal sealed record GcRun(long StartedAt, long DurationMs, long Objects, long Nars, long Chunks, long FreedBytes, long LostChunks);

/// <summary>The status page's and the metrics' queries: sums over Attic's tables, and Vega.Lite's history tables.</summary>
internal sealed partial class MetadataStore
{
    /// <summary>Every live cache, by name, with what it holds: a sum over all its paths, so not for a hot path.</summary>
    public async Task<IReadOnlyList<(CacheRecord Cache, CacheUsage Usage)>> GetCacheUsageAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"""
            SELECT {CacheColumns},
                   (SELECT COUNT(*) FROM object o WHERE o.cache_id = c.id),
                   CAST((SELECT COALESCE(SUM(n.nar_size), 0) FROM object o JOIN nar n ON n.id = o.nar_id WHERE o.cache_id = c.id) AS BIGINT),
                   CAST((SELECT COALESCE(SUM(ch.file_size), 0) FROM chunk ch WHERE ch.id IN (
                       SELECT cr.chunk_id FROM object o JOIN chunkref cr ON cr.nar_id = o.nar_id WHERE o.cache_id = c.id)) AS BIGINT),
                   CAST((SELECT COALESCE(SUM(ch.chunk_size), 0) FROM chunk ch WHERE ch.id IN (
                       SELECT cr.chunk_id FROM object o JOIN chunkref cr ON cr.nar_id = o.nar_id WHERE o.cache_id = c.id)) AS BIGINT),
                   (SELECT MAX({database.UnixSecondsOf("o.created_at")}) FROM object o WHERE o.cache_id = c.id)
            FROM cache c WHERE c.deleted_at IS NULL ORDER BY {database.Ordinal("c.name")}
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var usage = new List<(CacheRecord, CacheUsage)>();
        while (await reader.ReadAsync(ct))
        {
            usage.Add((ReadCache(reader), new CacheUsage(reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11),
                NullableLong(reader, 12))));
        }
        return usage;
    }

    public async Task<StorageUsage> GetStorageUsageAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            SELECT (SELECT COUNT(*) FROM object),
                   CAST((SELECT COALESCE(SUM(nar_size), 0) FROM nar WHERE state = 'V') AS BIGINT),
                   CAST((SELECT COALESCE(SUM(file_size), 0) FROM chunk WHERE state = 'V') AS BIGINT),
                   CAST((SELECT COALESCE(SUM(chunk_size), 0) FROM chunk WHERE state = 'V') AS BIGINT)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new StorageUsage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Paths pushed per cache and UTC day (unix seconds / 86400), for the days from <paramref name="sinceDay"/> on.</summary>
    public async Task<IReadOnlyList<(long CacheId, long Day, long Pushes)>> GetPushesPerDayAsync(long sinceDay, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var day = $"{database.UnixSecondsOf("created_at")} / 86400";
        await using var command = Command(connection,
            $"SELECT cache_id, {day}, COUNT(*) FROM object WHERE created_at >= @since GROUP BY cache_id, {day}");
        command.Bind("@since", database.Time(DateTimeOffset.FromUnixTimeSeconds(sinceDay * 86400)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var pushes = new List<(long, long, long)>();
        while (await reader.ReadAsync(ct))
        {
            pushes.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        return pushes;
    }

    /// <summary>Keeps the current hour's sample of the whole storage (the last refresh in an hour wins).</summary>
    public async Task SampleStorageAsync(StorageUsage usage, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            INSERT INTO vega_storage_sample (hour, objects, nar_bytes, stored_bytes) VALUES (@hour, @objects, @nar, @stored)
            ON CONFLICT (hour) DO UPDATE SET objects = excluded.objects, nar_bytes = excluded.nar_bytes, stored_bytes = excluded.stored_bytes
            """);
        command.Bind("@hour", NowSeconds / 3600);
        command.Bind("@objects", usage.Objects);
        command.Bind("@nar", usage.NarBytes);
        command.Bind("@stored", usage.StoredBytes);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The hourly samples from <paramref name="sinceHour"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<(long Hour, long StoredBytes)>> GetStorageSamplesAsync(long sinceHour, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "SELECT hour, stored_bytes FROM vega_storage_sample WHERE hour >= @since ORDER BY hour");
        command.Bind("@since", sinceHour);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var samples = new List<(long, long)>();
        while (await reader.ReadAsync(ct))
        {
            samples.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        return samples;
    }

    public async Task RecordGcRunAsync(GcRun run, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            INSERT INTO vega_gc_run (started_at, duration_ms, objects, nars, chunks, freed_bytes, lost_chunks)
            VALUES (@started, @duration, @objects, @nars, @chunks, @freed, @lost)
            """);
        command.Bind("@started", run.StartedAt);
        command.Bind("@duration", run.DurationMs);
        command.Bind("@objects", run.Objects);
        command.Bind("@nars", run.Nars);
        command.Bind("@chunks", run.Chunks);
        command.Bind("@freed", run.FreedBytes);
        command.Bind("@lost", run.LostChunks);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The newest passes first.</summary>
    public async Task<IReadOnlyList<GcRun>> GetGcRunsAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "SELECT started_at, duration_ms, objects, nars, chunks, freed_bytes, lost_chunks FROM vega_gc_run ORDER BY id DESC LIMIT @limit");
        command.Bind("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<GcRun>();
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new GcRun(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6)));
        }
        return runs;
    }
}
