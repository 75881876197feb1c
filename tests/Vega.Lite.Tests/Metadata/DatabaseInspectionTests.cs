using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vega.Lite.Config;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Metadata;

/// <summary>
/// Start-up on a database that is not Vega.Lite's (issue 15): an Attic database is named with its level and left
/// byte for byte as it was; anything else is one line saying what was found. docs/attic-database.md §1.
/// </summary>
public sealed class DatabaseInspectionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-inspect-" + Guid.NewGuid().ToString("N")[..12]);

    public DatabaseInspectionTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static readonly string[] L1 = AtticSchemaLevel.Migrations.Take(12).ToArray();

    [Fact]
    public void The_levels_found_in_the_field_are_named()
    {
        Assert.Equal("L1", AtticSchemaLevel.Classify(L1, out var none));
        Assert.Null(none);
        Assert.Equal("L2", AtticSchemaLevel.Classify(AtticSchemaLevel.Migrations.ToArray(), out _));
        Assert.Equal("L1 with m20260508_000001_add_chunk_state_holders_index",
            AtticSchemaLevel.Classify([.. L1, AtticSchemaLevel.Migrations[12]], out _));
        Assert.Equal("L1 with m20260508_000001_add_chunk_state_holders_index and m20260611_000001_add_nar_state_holders_index",
            AtticSchemaLevel.Classify(AtticSchemaLevel.Migrations.Take(14).ToArray(), out _));
    }

    [Fact]
    public void The_migration_names_are_those_of_the_schema_file()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "attic-schema-sqlite.sql"))
            .Where(l => l.StartsWith("INSERT INTO \"seaql_migrations\"", StringComparison.Ordinal))
            .Select(l => l.Split('\'')[1]);
        Assert.Equal(AtticSchemaLevel.Migrations, rows);
    }

    [Theory]
    [InlineData("m20251030_000001_add_pin_table", "no released atticd has (m20251030_000001_add_pin_table)")]
    [InlineData("m20260531_000001_add_upload_session_tables", "a newer atticd or a fork migrated it")]
    public void A_migration_no_atticd_release_has_is_refused(string extra, string expected)
    {
        Assert.Null(AtticSchemaLevel.Classify([.. AtticSchemaLevel.Migrations, extra], out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Gaps_are_refused()
    {
        Assert.Null(AtticSchemaLevel.Classify(L1.Where(m => m != "m20230112_000004_migrate_nar_remote_files_to_chunks").ToArray(), out var gap));
        Assert.Contains("missing m20230112_000004_migrate_nar_remote_files_to_chunks", gap);
        Assert.Null(AtticSchemaLevel.Classify([.. L1, AtticSchemaLevel.Migrations[14]], out var skipped));
        Assert.Contains("without the index migrations", skipped);
    }

    /// <summary>
    /// An Attic database as atticd leaves it (docs/attic-schema-sqlite.sql), with the first <paramref name="count"/>
    /// of its seaql_migrations rows, and a cache row.
    /// </summary>
    private string AtticDatabase(int count)
    {
        var path = Path.Combine(_directory, $"attic-{count}.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "attic-schema-sqlite.sql")) +
                string.Concat(AtticSchemaLevel.Migrations.Skip(count).Select(m => $"DELETE FROM seaql_migrations WHERE version = '{m}';")) +
                """
                INSERT INTO cache (name, keypair, is_public, store_dir, priority, upstream_cache_key_names, created_at)
                VALUES ('old', 'old:AAAA', 0, '/nix/store', 41, '["cache.nixos.org-1"]', '2024-05-01T12:34:56.123456789+00:00');
                """;
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    private static ConfigException Refused(string path) =>
        Assert.Throws<ConfigException>(() => new SqliteDatabase("sqlite://" + path).Migrate(RemoteFiles.Local));

    private static string Digest(string path)
    {
        SqliteConnection.ClearAllPools();
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
    }

    private static List<string> Column(string path, string sql)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? "NULL" : reader.GetValue(0).ToString()!);
        }
        return values;
    }

    /// <summary>Attic's own tables and indexes as declared, which Vega.Lite must leave exactly as atticd made them.</summary>
    private const string AtticObjects =
        "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'vega%' ORDER BY name";

    [Theory]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void An_Attic_database_is_served_in_place_seaql_migrations_and_its_tables_unchanged(int migrations)
    {
        var path = AtticDatabase(migrations);
        var tables = Column(path, AtticObjects);
        var seaql = Column(path, "SELECT version || ' ' || applied_at FROM seaql_migrations ORDER BY rowid");
        var cache = Column(path, "SELECT name || created_at FROM cache");

        Assert.Equal($"database {path} lacks Vega.Lite's own tables (pending: {string.Join(", ", VegaMigrations.Names)}): run `vega-lite --mode db-migrations` " +
            "(or start in monolithic mode) first", Assert.Throws<ConfigException>(() => new SqliteDatabase("sqlite://" + path).CheckSchema()).Message);
        Assert.Null(new SqliteDatabase("sqlite://" + path).Migrate(RemoteFiles.Local));
        new SqliteDatabase("sqlite://" + path).CheckSchema();

        Assert.Equal(tables, Column(path, AtticObjects));
        Assert.Equal(seaql, Column(path, "SELECT version || ' ' || applied_at FROM seaql_migrations ORDER BY rowid"));
        Assert.Equal(cache, Column(path, "SELECT name || created_at FROM cache"));
        Assert.Equal(["vega-nar-nar-hash", "vega-object-nar-id"], Column(path,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('nar', 'object') AND name LIKE 'vega-%' ORDER BY name"));
        Assert.Equal(VegaMigrations.Names, Column(path, "SELECT name FROM vega_migrations"));
        Assert.Equal(["vega-cache-deleted", "vega-cache-inserted", "vega-cache-updated", "vega-object-deleted", "vega-object-updated",
            "vega-token-revocation-changed", "vega-token-revoked"],
            Column(path, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"));
    }

    [Fact]
    public void An_Attic_database_of_an_unknown_level_says_why_and_is_left_untouched()
    {
        var path = AtticDatabase(15);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO seaql_migrations VALUES ('m20270101_000001_add_something', 1800000000)";
            command.ExecuteNonQuery();
        }
        var before = Digest(path);
        Assert.Contains("is atticd's, at a level Vega.Lite does not know: it holds migrations no released atticd has " +
            "(m20270101_000001_add_something)", Refused(path).Message);
        Assert.Throws<ConfigException>(() => new SqliteDatabase("sqlite://" + path).CheckSchema());
        Assert.Equal(before, Digest(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public void Another_programs_database_is_refused_with_its_tables()
    {
        var path = Path.Combine(_directory, "other.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE users (id INTEGER); CREATE TABLE sessions (id INTEGER);";
            command.ExecuteNonQuery();
        }
        var before = Digest(path);
        Assert.Equal($"database {path} is neither atticd's nor Vega.Lite's: it has no seaql_migrations or vega_migrations table " +
            "(tables: sessions, users); point [database] url at a new file", Refused(path).Message);
        Assert.Equal(before, Digest(path));
    }

    [Fact]
    public void A_file_that_is_not_SQLite_is_one_line()
    {
        var path = Path.Combine(_directory, "garbage.db");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(8192));
        Assert.Equal($"database {path} cannot be read: SQLite Error 26: 'file is not a database'.", Refused(path).Message);
    }

    [Fact]
    public void A_new_database_is_created_in_Attics_L2_schema_with_its_15_migration_rows()
    {
        var path = Path.Combine(_directory, "new.db");
        Assert.Equal($"database {path} is empty: run `vega-lite --mode db-migrations` (or start in monolithic mode) first",
            Assert.Throws<ConfigException>(() => new SqliteDatabase("sqlite://" + path).CheckSchema()).Message);
        new SqliteDatabase("sqlite://" + path).Migrate(RemoteFiles.Local);
        new SqliteDatabase("sqlite://" + path).Migrate(RemoteFiles.Local); // again: nothing pending
        new SqliteDatabase("sqlite://" + path).CheckSchema();

        Assert.Equal(AtticSchemaLevel.Migrations, Column(path, "SELECT version FROM seaql_migrations ORDER BY rowid"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.All(Column(path, "SELECT applied_at FROM seaql_migrations"), t => Assert.InRange(long.Parse(t), now - 60, now + 1));
        Assert.Equal(Column(AtticDatabase(15), AtticObjects), Column(path, AtticObjects));
    }
}
