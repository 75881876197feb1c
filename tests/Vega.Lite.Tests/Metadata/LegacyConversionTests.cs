using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Vega.Lite.Config;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Metadata;

/// <summary>
/// A database made by a Vega.Lite before it used Attic's schema (the migrations it shipped, kept in LegacySchema/) is
/// converted once, after a backup copy, into Attic's L2 schema, every row carried over in Attic's encodings.
/// </summary>
public sealed partial class LegacyConversionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-legacy-" + Guid.NewGuid().ToString("N")[..12]);

    public LegacyConversionTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private const string Key = "0b6f3a52-7d0e-4c59-9d55-0e6b1a7f4c21.chunk";

    /// <summary>An earlier Vega.Lite's database after its first <paramref name="migrations"/> migrations, with one path of each kind.</summary>
    private string LegacyDatabase(int migrations)
    {
        var path = Path.Combine(_directory, "server.db");
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Metadata", "LegacySchema"), "*.sql").Order(StringComparer.Ordinal).Take(migrations).ToList();
        var sql = "CREATE TABLE vega_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);" +
            string.Concat(files.Select(f => File.ReadAllText(f) + $"\nINSERT INTO vega_migrations VALUES ('{Path.GetFileName(f)}', 1760000000);\n")) +
            $"""
            INSERT INTO cache VALUES (1, 'main', 'main:AAAA', 1, '/nix/store', 41, '["cache.nixos.org-1"]', 1760000000, NULL, 86400);
            INSERT INTO cache VALUES (2, 'gone', 'gone:AAAA', 0, '/nix/store', 41, '[]', 1760000001, 1760000500, NULL);
            INSERT INTO nar VALUES (1, 'V', 'sha256:{new string('a', 64)}', 100, 'zstd', 1, 0, 1760000002);
            INSERT INTO chunk VALUES (1, 'V', 'sha256:{new string('b', 64)}', 100, 'sha256:{new string('c', 64)}', 50, 'zstd', '{Key}', 'blob:{Key}', 0, 1760000003);
            INSERT INTO chunkref VALUES (1, 1, 0, 1);
            INSERT INTO object VALUES (1, 1, 1, '0c6kzph7l0dcbfmjap64f0czdafn3b7x', '/nix/store/0c6kzph7l0dcbfmjap64f0czdafn3b7x-a', '[]', NULL, NULL, '[]', NULL, 1760000004, 1760000005, 'ci');
            INSERT INTO nix_upload VALUES (1, 1, 'abc.nar.zst', 1, 1760000006);
            """ + (migrations >= 2 ? "INSERT INTO upload_lease VALUES ('lease-1', 'boot:1:2', 1760000007);" : "");
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return path;
    }

    private static List<string> Rows(string path, string sql)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
        }
        return rows;
    }

    [GeneratedRegex(@"^server\.db\.before-attic-schema-\d{8}T\d{6}Z-\d+$")]
    private static partial Regex BackupName();

    [Theory]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    public void Is_converted_once_after_a_backup_and_keeps_every_row(int migrations, bool s3)
    {
        var path = LegacyDatabase(migrations);
        var remoteFiles = s3 ? RemoteFiles.For(new S3StorageConfig("us-east-1", "cache", null, null, null)) : RemoteFiles.Local;
        Assert.Throws<ConfigException>(() => new SqliteDatabase("sqlite://" + path).CheckSchema());

        var said = new SqliteDatabase("sqlite://" + path).Migrate(remoteFiles);

        var backup = Directory.GetFiles(_directory).Select(Path.GetFileName).Single(f => f!.Contains("before"));
        Assert.Matches(BackupName(), backup);
        Assert.Equal($"Converted database {path}, made by an earlier Vega.Lite, to Attic's schema (level L2); the copy from before is {Path.Combine(_directory, backup!)}", said);
        Assert.Equal(["1"], Rows(Path.Combine(_directory, backup!), "SELECT COUNT(*) FROM object"));
        Assert.Equal(AtticSchemaLevel.Migrations, Rows(path, "SELECT version FROM seaql_migrations ORDER BY rowid"));
        Assert.Equal(VegaMigrations.Names, Rows(path, "SELECT name FROM vega_migrations"));
        Assert.Empty(Rows(path, "SELECT name FROM sqlite_master WHERE name LIKE 'vega_legacy%' OR name IN ('nix_upload', 'upload_lease')"));
        Assert.Equal([
            """1|main|1|["cache.nixos.org-1"]|2025-10-09T08:53:20+00:00|NULL|86400""",
            "2|gone|0|[]|2025-10-09T08:53:21+00:00|2025-10-09T09:01:40+00:00|NULL"],
            Rows(path, "SELECT id, name, is_public, upstream_cache_key_names, created_at, deleted_at, retention_period FROM cache ORDER BY id"));
        Assert.Equal([$"1|V|sha256:{new string('a', 64)}|100|zstd|1|2025-10-09T08:53:22+00:00"],
            Rows(path, "SELECT id, state, nar_hash, nar_size, compression, num_chunks, created_at FROM nar"));
        Assert.Equal([(s3
                ? $$$"""{"S3":{"region":"us-east-1","bucket":"cache","key":"{{{Key}}}"}}|s3:us-east-1/cache/{{{Key}}}"""
                : $$$"""{"Local":{"name":"{{{Key}}}"}}|local:{{{Key}}}""") + "|50|2025-10-09T08:53:23+00:00"],
            Rows(path, "SELECT remote_file, remote_file_id, file_size, created_at FROM chunk"));
        Assert.Equal(["1|1|0|1"], Rows(path, "SELECT id, nar_id, seq, chunk_id FROM chunkref"));
        Assert.Equal(["1|1|2025-10-09T08:53:24+00:00|2025-10-09T08:53:25+00:00|ci"],
            Rows(path, "SELECT cache_id, nar_id, created_at, last_accessed_at, created_by FROM object"));
        Assert.Equal(["1|abc.nar.zst|1|1760000006"], Rows(path, "SELECT cache_id, file_name, nar_id, created_at FROM vega_nix_upload"));
        Assert.Equal(migrations >= 2 ? ["lease-1|boot:1:2|1760000007"] : [], Rows(path, "SELECT id, owner, created_at FROM vega_upload_lease"));
        Assert.Equal(["2"], Rows(path, "SELECT generation FROM vega_invalidation")); // the two cache rows copied in, by the triggers
        Assert.Equal(7, Rows(path, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'vega-%'").Count);
        Assert.Empty(Rows(path, "PRAGMA foreign_key_check"));
        Assert.Equal(["2"], Rows(path, "SELECT seq FROM sqlite_sequence WHERE name = 'cache'"));

        Assert.Null(new SqliteDatabase("sqlite://" + path).Migrate(remoteFiles)); // once
        new SqliteDatabase("sqlite://" + path).CheckSchema();
        Assert.Single(Directory.GetFiles(_directory), f => f.Contains("before"));
    }
}
