using Vega.Lite.E2E.Support;
using Vega.Lite.Tests.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary on PostgreSQL (issue 15, item 2): a new database gets Attic's PostgreSQL schema (bigserial ids,
/// timestamptz times) with its 15 seaql_migrations rows, check-config says what it found, a push writes rows in Attic's
/// encodings, and a database that is empty or not there stops the start with one line.
/// </summary>
public sealed class PostgresDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-pg-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static Task<ProcessResult> RunAsync(string config, string mode) =>
        Processes.RunAsync(VegaLiteProcess.Binary, ["-f", config, "--mode", mode], timeout: TimeSpan.FromSeconds(60));

    private static void AssertOneLine(ProcessResult result, string expected, string what)
    {
        Assert.True(result.ExitCode == 1, result.Describe(what));
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [NixFact]
    public async Task A_new_database_gets_Attics_schema_check_config_reads_it_and_a_push_writes_Attics_encodings()
    {
        var postgres = await PostgresServer.SharedAsync();
        var url = await postgres.CreateDatabaseAsync();
        var config = VegaLiteProcess.WriteConfig(_directory, databaseUrl: url);

        AssertOneLine(await RunAsync(config, "api-server"), $"database {url} is empty: run `vega-lite --mode db-migrations`", "api-server on an empty database");
        Assert.Empty(await postgres.QueryAsync(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"));

        var migrated = await RunAsync(config, "db-migrations");
        Assert.True(migrated.ExitCode == 0, migrated.Describe("db-migrations"));
        var versions = await postgres.QueryAsync(url, "SELECT version FROM seaql_migrations ORDER BY version");
        Assert.Equal(15, versions.Count);
        Assert.Equal(["m20221227_000001_create_cache_table", "m20260624_000001_remove_chunk_recovery"], [versions[0], versions[^1]]);
        Assert.Equal(["bigint|nextval('object_id_seq'::regclass)", "timestamp with time zone|NULL"], await postgres.QueryAsync(url,
            "SELECT data_type || '|' || COALESCE(column_default, 'NULL') FROM information_schema.columns WHERE table_name = 'object' AND column_name IN ('id', 'created_at') ORDER BY column_name DESC"));
        Assert.Equal(["vega_0001_tables.sql", "vega_0002_change_triggers.sql", "vega_0003_revoked_tokens.sql", "vega_0004_status_history.sql"], await postgres.QueryAsync(url, "SELECT name FROM vega_migrations"));
        Assert.Equal(["vega-cache-written", "vega-object-written", "vega-objects-deleted", "vega-token-revoked"], await postgres.QueryAsync(url,
            "SELECT DISTINCT trigger_name FROM information_schema.triggers ORDER BY trigger_name"));
        var again = await RunAsync(config, "db-migrations");
        Assert.True(again.ExitCode == 0, again.Describe("db-migrations, a second time"));
        Assert.Equal(15, (await postgres.QueryAsync(url, "SELECT version FROM seaql_migrations")).Count);

        var check = await RunAsync(config, "check-config");
        Assert.True(check.ExitCode == 0, check.Describe("check-config"));
        Assert.Contains($"database: PostgreSQL at {url}: Attic's schema, level L2 (15 migrations); Vega.Lite's tables, all 4 migrations applied; 0 caches", check.Stdout);

        using var nix = new NixEnvironment();
        var closure = await TestClosure.BuildAsync(nix);
        await using (var server = await VegaLiteProcess.StartAsync(_directory))
        {
            var token = await server.MakeTokenAsync("--pull", "*", "--push", "*", "--create-cache", "*");
            using var client = new AtticClient(nix, server.BaseUrl, token);
            Assert.Equal("", await client.CreateCacheAsync("pg"));
            var pushed = await client.PushAsync("pg", [closure.Top]);
            Assert.Equal(closure.Paths.Count, pushed.Candidates.Count);
            var use = await client.UseAsync("pg");
            using var other = new NixEnvironment();
            var realise = await other.RunAsync("nix-store", ["-r", closure.Top], [.. use.NixConfigLines, "require-sigs = true"]);
            Assert.True(realise.ExitCode == 0, realise.Describe("nix-store -r") + "\n--- server\n" + server.Log);
        }

        Assert.Equal([$"{closure.Paths.Count}|{closure.Paths.Count}|{closure.Paths.Count}"], await postgres.QueryAsync(url,
            "SELECT COUNT(*) || '|' || COUNT(*) FILTER (WHERE created_at > now() - interval '10 minutes') || '|' || " +
            "COUNT(*) FILTER (WHERE \"references\" LIKE '[%]' AND sigs LIKE '[%]') FROM object"));
        Assert.Equal(["0"], await postgres.QueryAsync(url, "SELECT COUNT(*) FROM nar WHERE nar_hash NOT LIKE 'sha256:%' OR state <> 'V'"));
        Assert.Equal(["0"], await postgres.QueryAsync(url,
            "SELECT COUNT(*) FROM chunk WHERE remote_file <> '{\"Local\":{\"name\":\"' || SUBSTR(remote_file_id, 7) || '\"}}' OR remote_file_id NOT LIKE 'local:%'"));
        Assert.Equal(15, (await postgres.QueryAsync(url, "SELECT version FROM seaql_migrations")).Count);
    }

    [Fact]
    public async Task A_database_that_is_not_there_stops_the_start_in_one_line()
    {
        var url = $"postgres://postgres:secret@127.0.0.1:{VegaLiteProcess.FreePort()}/nothing";
        var config = VegaLiteProcess.WriteConfig(_directory, databaseUrl: url);
        foreach (var mode in new[] { "monolithic", "api-server", "db-migrations", "garbage-collector-once" })
        {
            var result = await RunAsync(config, mode);
            AssertOneLine(result, "database postgres://postgres:***@127.0.0.1:", mode);
            Assert.Contains("/nothing cannot be reached", result.Stderr);
            Assert.DoesNotContain("secret", result.Stderr);
        }
        var check = await RunAsync(config, "check-config");
        Assert.True(check.ExitCode == 0, check.Describe("check-config"));
        Assert.Contains("cannot be reached now", check.Stdout);
    }
}
