using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary started on the database an atticd left behind (issue 15): the modes that migrate add only
/// Vega.Lite's vega_ tables and serve it in place, seaql_migrations and Attic's tables as atticd left them; the modes
/// that do not migrate (api-server, the garbage collector) stop with one line saying to run db-migrations first, and
/// leave the file byte for byte as it was. It used to exit with a stack trace ("table cache already exists").
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed class AtticDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-attic-db-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) // a server started in it deletes it when disposed
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Attic's current SQLite database (docs/attic-schema-sqlite.sql: DDL and 15 seaql_migrations rows) and a cache, at server.db.</summary>
    private string AtticL2Database()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "server.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "attic-schema-sqlite.sql")) +
                $"""
                INSERT INTO cache (name, keypair, is_public, store_dir, priority, upstream_cache_key_names, created_at)
                VALUES ('old', '{Vega.Lite.Core.Nix.NixKeypair.Generate("old").ToSecretKeyString()}', 1, '/nix/store', 41, '["cache.nixos.org-1"]', '2026-06-26T14:16:13.123456789+00:00');
                """;
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    private static List<string> Rows(string path, string sql)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
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

    private const string AtticObjects = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'vega%' ORDER BY name";

    [Theory]
    [InlineData("api-server")]
    [InlineData("garbage-collector-once")]
    public async Task The_modes_that_do_not_migrate_stop_with_one_line_and_leave_atticds_database_as_it_was(string mode)
    {
        var database = AtticL2Database();
        var before = SHA256.HashData(File.ReadAllBytes(database));
        var config = VegaLiteProcess.WriteConfig(_directory);

        var result = await Processes.RunAsync(VegaLiteProcess.Binary,
            ["-f", config, "-l", $"127.0.0.1:{VegaLiteProcess.FreePort()}", "--mode", mode], timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode != 0, result.Describe(mode));
        var lines = (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.Describe(mode));
        Assert.Equal($"error: database {database} lacks Vega.Lite's own tables (pending: vega_0001_tables.sql, vega_0002_change_triggers.sql, vega_0003_revoked_tokens.sql, vega_0004_status_history.sql): run " +
            "`vega-lite --mode db-migrations` (or start in monolithic mode) first", lines[0]);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(database)));
        Assert.False(File.Exists(database + "-wal"), "the refused start opened the database for writing");
    }

    [Fact]
    public async Task Db_migrations_adds_only_vega_tables_then_every_mode_serves_the_cache_atticd_made()
    {
        var database = AtticL2Database();
        var attic = Rows(database, AtticObjects);
        var seaql = Rows(database, "SELECT * FROM seaql_migrations ORDER BY rowid");
        var config = VegaLiteProcess.WriteConfig(_directory);

        var migrated = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", config, "--mode", "db-migrations"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(migrated.ExitCode == 0, migrated.Describe("db-migrations"));
        Assert.Equal(attic, Rows(database, AtticObjects));
        Assert.Equal(seaql, Rows(database, "SELECT * FROM seaql_migrations ORDER BY rowid"));

        var check = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", config, "--mode", "check-config"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(check.ExitCode == 0, check.Describe("check-config"));
        Assert.Contains($"database: {database}: Attic's schema, level L2 (15 migrations); Vega.Lite's tables, all 4 migrations applied; " +
            "1 caches, 0 store paths", check.Stdout);

        await using var server = await VegaLiteProcess.StartAsync(_directory);
        using var http = new HttpClient();
        var info = await http.GetStringAsync($"{server.BaseUrl}/old/nix-cache-info");
        Assert.Contains("Priority: 41", info);
        Assert.Equal(seaql, Rows(database, "SELECT * FROM seaql_migrations ORDER BY rowid"));
    }
}
