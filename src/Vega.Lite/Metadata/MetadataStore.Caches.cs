using Microsoft.Data.Sqlite;
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
        await using var command = Command(connection, $"SELECT {CacheColumns} FROM cache WHERE name = $name AND deleted_at IS NULL");
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadCache(reader) : null;
    }

    /// <summary>Inserts a cache; false when the name is taken (soft-deleted names included, as in Attic).</summary>
    public async Task<bool> CreateCacheAsync(NewCache cache, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            INSERT INTO cache (name, keypair, is_public, store_dir, priority, upstream_cache_key_names, created_at)
            VALUES ($name, $keypair, $public, $storeDir, $priority, $upstream, $now)
            ON CONFLICT (name) DO NOTHING
            """);
        command.Parameters.AddWithValue("$name", cache.Name);
        command.Parameters.AddWithValue("$keypair", cache.Keypair.ToSecretKeyString());
        command.Parameters.AddWithValue("$public", cache.IsPublic);
        command.Parameters.AddWithValue("$storeDir", cache.StoreDir);
        command.Parameters.AddWithValue("$priority", cache.Priority);
        command.Parameters.AddWithValue("$upstream", JsonColumns.Write(cache.UpstreamCacheKeyNames));
        command.Parameters.AddWithValue("$now", Now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static CacheRecord ReadCache(SqliteDataReader reader)
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
            RetentionPeriod: NullableLong(reader, 7));
    }
}
