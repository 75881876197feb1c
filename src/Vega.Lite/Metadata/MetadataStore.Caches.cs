using System.Data.Common;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Metadata;

internal sealed partial class MetadataStore
{
    private const string CacheColumns =
        "id, name, keypair, is_public, store_dir, priority, upstream_cache_key_names, retention_period";

    /// <summary>The cache by name, or null when it does not exist or is soft-deleted.</summary>
    public async Task<CacheRecord?> GetCacheAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, $"SELECT {CacheColumns} FROM cache WHERE name = @name AND deleted_at IS NULL");
        command.Bind("@name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadCache(reader) : null;
    }

    /// <summary>Throws, saying why, when the database cannot answer now (for <c>/readyz</c>).</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "SELECT generation FROM vega_invalidation WHERE id = 1");
        await command.ExecuteScalarAsync(ct);
    }

    /// <summary>Every live cache, by name.</summary>
    public async Task<IReadOnlyList<CacheRecord>> ListCachesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"SELECT {CacheColumns} FROM cache WHERE deleted_at IS NULL ORDER BY {database.Ordinal("name")}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var caches = new List<CacheRecord>();
        while (await reader.ReadAsync(ct))
        {
            caches.Add(ReadCache(reader));
        }
        return caches;
    }

    /// <summary>Inserts a cache; false when the name is taken (soft-deleted names included, as in Attic).</summary>
    public async Task<bool> CreateCacheAsync(NewCache cache, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            INSERT INTO cache (name, keypair, is_public, store_dir, priority, upstream_cache_key_names, created_at)
            VALUES (@name, @keypair, @public, @storeDir, @priority, @upstream, @now)
            ON CONFLICT (name) DO NOTHING
            """);
        command.Bind("@name", cache.Name);
        command.Bind("@keypair", cache.Keypair.ToSecretKeyString());
        command.Bind("@public", cache.IsPublic);
        command.Bind("@storeDir", cache.StoreDir);
        command.Bind("@priority", cache.Priority);
        command.Bind("@upstream", JsonColumns.Write(cache.UpstreamCacheKeyNames));
        command.Bind("@now", Now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Applies a configure (PATCH): only the fields that are set change. False when the cache is gone.</summary>
    public async Task<bool> UpdateCacheAsync(long cacheId, CacheUpdate update, CancellationToken ct)
    {
        var assignments = new List<string>();
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "");
        void Set(string column, object? value)
        {
            assignments.Add($"{column} = @{column}");
            command.Bind("@" + column, value);
        }
        if (update.Keypair is not null)
        {
            Set("keypair", update.Keypair.ToSecretKeyString());
        }
        if (update.IsPublic is { } isPublic)
        {
            Set("is_public", isPublic);
        }
        if (update.StoreDir is not null)
        {
            Set("store_dir", update.StoreDir);
        }
        if (update.Priority is { } priority)
        {
            Set("priority", priority);
        }
        if (update.UpstreamCacheKeyNames is not null)
        {
            Set("upstream_cache_key_names", JsonColumns.Write(update.UpstreamCacheKeyNames));
        }
        if (update.RetentionPeriod is { } retention)
        {
            Set("retention_period", retention.Seconds);
        }
        if (assignments.Count == 0)
        {
            return true;
        }
        command.CommandText = $"UPDATE cache SET {string.Join(", ", assignments)} WHERE id = @id AND deleted_at IS NULL";
        command.Bind("@id", cacheId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Destroys a cache: soft (the row stays, marked deleted, its name never reusable) or hard (the row and its
    /// objects go; their NARs are left for garbage collection). False when no live row was affected.
    /// </summary>
    public async Task<bool> DeleteCacheAsync(long cacheId, bool soft, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, soft
            ? "UPDATE cache SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL"
            : "DELETE FROM cache WHERE id = @id AND deleted_at IS NULL");
        command.Bind("@id", cacheId);
        command.Bind("@now", Now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static CacheRecord ReadCache(DbDataReader reader)
    {
        var keypairText = reader.GetString(2);
        if (!NixKeypair.TryParse(keypairText, out var keypair, out var error))
        {
            throw new InvalidDataException($"cache \"{reader.GetString(1)}\" has an invalid keypair in the database: {error}");
        }
        return new CacheRecord(
            Id: reader.GetInt64(0),
            Name: reader.GetString(1),
            Keypair: keypair!,
            IsPublic: reader.GetBoolean(3),
            StoreDir: reader.GetString(4),
            Priority: reader.GetInt32(5),
            UpstreamCacheKeyNames: JsonColumns.Read(reader.GetString(6)),
            RetentionPeriod: reader.IsDBNull(7) ? null : reader.GetInt32(7)); // integer: PostgreSQL's int4 reads only as Int32
    }
}
