using System.Security.Cryptography;
using Vega.Lite.E2E.Support;
using Vega.Lite.Tests.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// <c>--mode check-config</c> of the published binary says what it finds of the database and the storage, without
/// creating or changing either (issue 15, item 4); an absent or unreachable one is said, not an error.
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed class CheckConfigTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-check-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<string[]> CheckAsync(string config)
    {
        var result = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", config, "--mode", "check-config"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Describe("check-config"));
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Before_the_first_start_it_says_both_are_still_to_be_created_and_creates_neither()
    {
        var config = VegaLiteProcess.WriteConfig(_directory);

        var lines = await CheckAsync(config);

        Assert.Equal(
            [
                $"The configuration in {config} is valid.",
                $"database: {_directory}/server.db does not exist yet; the first start creates it",
                $"storage: local, {_directory}/storage does not exist yet; the first start creates it",
            ], lines);
        Assert.Equal(["server.toml"], Directory.EnumerateFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task After_a_push_it_counts_what_the_database_holds_and_leaves_it_as_it_was()
    {
        await using var server = await VegaLiteProcess.StartAsync(_directory);
        var token = await server.MakeTokenAsync("--push", "*", "--pull", "*", "--create-cache", "*");
        using (var api = new CacheApi(server.BaseUrl, token))
        {
            await api.CreateCacheAsync("counted");
        }
        using (var http = CacheApi.Client(server.BaseUrl, token))
        {
            var file = Path.Combine(_directory, "payload");
            await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(3000));
            await CacheApi.UploadPathAsync(http, "counted", "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-payload", Nars.Dump(file));
        }
        await server.KillAsync(); // the data stays, its last commits in the WAL
        var database = Path.Combine(_directory, "server.db");
        string Digest() => Convert.ToHexString(SHA256.HashData([.. File.ReadAllBytes(database), .. File.ReadAllBytes(database + "-wal")]));
        var before = Digest();

        var lines = await CheckAsync(Path.Combine(_directory, "server.toml"));

        Assert.Matches(@"^database: .*/server\.db: Attic's schema, level L2 \(15 migrations\); Vega\.Lite's tables, all \d+ migrations applied; 1 caches, 1 store paths, 1 NARs, 1 chunks \(0 lost or awaiting deletion\)$", lines[1]);
        Assert.Equal($"storage: local, {_directory}/storage, layout version 1", lines[2]);
        Assert.Equal(before, Digest());
    }

    [Fact]
    public async Task An_S3_bucket_is_listed_and_an_endpoint_that_does_not_answer_is_said_to_be_unreachable()
    {
        await using var s3 = await S3rver.StartAsync();
        var reachable = await CheckAsync(VegaLiteProcess.WriteConfig(Path.Combine(_directory, "up"), storageToml: s3.StorageToml));
        Assert.Equal($"storage: S3 bucket {S3rver.Bucket} in us-east-1 at {s3.Endpoint.ToString().TrimEnd('/')}, reachable, empty", reachable[2]);

        var closed = $"http://127.0.0.1:{VegaLiteProcess.FreePort()}";
        var down = await CheckAsync(VegaLiteProcess.WriteConfig(Path.Combine(_directory, "down"),
            storageToml: s3.StorageToml.Replace(s3.Endpoint.ToString().TrimEnd('/'), closed)));
        Assert.StartsWith($"storage: S3 bucket {S3rver.Bucket} in us-east-1 at {closed}, not reachable from here: ", down[2]);
    }
}
