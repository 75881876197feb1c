using System.Net;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary killed mid-push and pushed to by many clients at once (issue 4): no committed path is lost,
/// nothing half-written is served, and garbage collection leaves storage exactly as referenced.
/// </summary>
public sealed class CrashSafetyTests
{
    private const string Chunking = "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    private const string AllFlags = "--push * --pull * --delete * --create-cache * --destroy-cache * --configure-cache * --configure-cache-retention *";

    [NixFact]
    public async Task A_push_killed_midway_leaves_nothing_visible_its_blobs_go_at_the_next_GC_and_a_repush_works()
    {
        var directory = Path.Combine(Path.GetTempPath(), "vega-e2e-crash-" + Guid.NewGuid().ToString("N")[..8]);
        using var nix = new NixEnvironment();
        var closure = await TestClosure.BuildAsync(nix, payloadBytes: 96 * 1024 * 1024);
        var big = closure.Paths.Single(p => p.Contains("-vega-tree-"));

        var first = await VegaLiteProcess.StartAsync(directory, Chunking);
        var token = await first.MakeTokenAsync(AllFlags.Split(' '));
        using (var client = new AtticClient(nix, first.BaseUrl, token))
        {
            Assert.Equal("", await client.CreateCacheAsync("crash"));
            var push = client.PushAsync("crash", [big], noClosure: true);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (first.BlobFiles().Length < 20 && !push.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.False(push.IsCompleted, "the push ended before the server could be killed in the middle of it");
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => push);
        }
        var orphans = first.BlobFiles().Length;
        Assert.True(orphans >= 20, $"expected the killed upload's blobs on disk, found {orphans}");

        await using var second = await VegaLiteProcess.StartAsync(directory);
        using var root = new AtticClient(nix, second.BaseUrl, token);
        using var http = CacheApi.Client(second.BaseUrl, token);
        using (var narinfo = await http.GetAsync($"crash/{Hash(big)}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.NotFound, narinfo.StatusCode); // nothing half-pushed is visible
        }
        Assert.Equal([Hash(big)], await root.GetMissingPathsAsync("crash", [Hash(big)]));
        await second.CollectGarbageAsync(); // (the restarted server's own first pass may have been quicker)
        Assert.Empty(second.BlobFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(directory, "storage", ".tmp")));

        var repush = await root.PushAsync("crash", closure.Paths);
        Assert.Equal(closure.Paths.Count, repush.Uploads.Count);
        foreach (var path in closure.Paths.Reverse())
        {
            var delete = await nix.RunAsync("nix-store", ["--delete", path]);
            Assert.True(delete.ExitCode == 0, delete.Describe("nix-store --delete"));
        }
        var use = await root.UseAsync("crash");
        var realise = await nix.RunAsync("nix-store", ["-r", closure.Top], [.. use.NixConfigLines, "require-sigs = true"]);
        Assert.True(realise.ExitCode == 0, realise.Describe("nix-store -r") + "\n--- server\n" + second.Log);
    }

    [NixFact]
    public async Task Sixteen_clients_pushing_the_same_closure_all_succeed_and_each_NAR_is_stored_once()
    {
        using var nix = new NixEnvironment();
        var closure = await TestClosure.BuildAsync(nix, payloadBytes: 4 * 1024 * 1024);
        await using var server = await VegaLiteProcess.StartAsync(extraToml: Chunking);
        var token = await server.MakeTokenAsync(AllFlags.Split(' '));
        using (var creator = new AtticClient(nix, server.BaseUrl, token))
        {
            Assert.Equal("", await creator.CreateCacheAsync("busy"));
        }

        var clients = Enumerable.Range(0, 16).Select(_ => new AtticClient(nix, server.BaseUrl, token)).ToList();
        try
        {
            var pushes = await Task.WhenAll(clients.Select(c => c.PushAsync("busy", [closure.Top])));
            Assert.All(pushes, p => Assert.Equal(closure.Paths.Count, p.Candidates.Count));
        }
        catch (AtticApiException e)
        {
            throw new InvalidOperationException(e.Message + "\n--- server\n" + server.Log, e);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        // Each path is there once: deleting them and collecting removes exactly one NAR per path and every blob.
        using var http = CacheApi.Client(server.BaseUrl, token);
        foreach (var path in closure.Paths)
        {
            using var delete = await http.DeleteAsync($"busy/{Hash(path)}.narinfo");
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }
        Assert.Contains($"0 objects, {closure.Paths.Count} NARs,", await server.CollectGarbageAsync());
        Assert.Empty(server.BlobFiles());
    }

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];
}
