using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary started on the database an atticd left behind (issue 15): until serving it in place is built,
/// every mode stops with one line naming atticd's schema level, and the file stays byte for byte as atticd left it,
/// so atticd can go on using it. It used to exit with a stack trace ("table cache already exists").
/// </summary>
public sealed class AtticDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-attic-db-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
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
                """
                INSERT INTO cache (name, keypair, is_public, store_dir, priority, upstream_cache_key_names, created_at)
                VALUES ('old', 'old:AAAA', 1, '/nix/store', 41, '["cache.nixos.org-1"]', '2026-06-26T14:16:13.123456789+00:00');
                """;
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    [Theory]
    [InlineData("monolithic")]
    [InlineData("api-server")]
    [InlineData("db-migrations")]
    [InlineData("garbage-collector-once")]
    public async Task Every_mode_stops_with_one_line_and_leaves_atticds_database_as_it_was(string mode)
    {
        var database = AtticL2Database();
        var before = SHA256.HashData(File.ReadAllBytes(database));
        var config = VegaLiteProcess.WriteConfig(_directory);

        var result = await Processes.RunAsync(VegaLiteProcess.Binary,
            ["-f", config, "-l", $"127.0.0.1:{VegaLiteProcess.FreePort()}", "--mode", mode], timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode != 0, result.Describe(mode));
        var lines = (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.Describe(mode));
        Assert.StartsWith($"error: database {database} is atticd's (schema level L2, 15 migrations); serving an Attic database " +
            "in place is not built yet, so it was left untouched", lines[0]);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(database)));
        Assert.False(File.Exists(database + "-wal"), "the refused start opened the database for writing");
    }

    [Fact]
    public async Task Check_config_names_the_level_too_and_fails()
    {
        var database = AtticL2Database();
        var before = SHA256.HashData(File.ReadAllBytes(database));
        var config = VegaLiteProcess.WriteConfig(_directory);

        var result = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", config, "--mode", "check-config"], timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode != 0, result.Describe("check-config"));
        Assert.Equal($"The configuration in {config} is valid.", result.Stdout.Trim());
        Assert.StartsWith($"error: database {database} is atticd's (schema level L2, 15 migrations)", result.Stderr.Trim());
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(database)));
    }
}
