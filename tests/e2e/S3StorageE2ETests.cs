using System.Net;
using System.Text.Json;
using Vega.Lite.Core.Compression;
using Vega.Lite.E2E.Support;
using Vega.Lite.Tests.Support;
using Xunit.Abstractions;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary with <c>[storage] type = "s3"</c> against a real s3rver (issue 4's S3 half): attic-style pushes
/// dedup across caches and substitute into a fresh store with signatures checked, garbage collection leaves no object
/// in the bucket, a chunk deleted behind the server's back is a 503 and never a truncated 200, and a push killed with
/// SIGKILL leaves nothing visible and nothing in the bucket after a restart and a GC pass, then a re-push works.
/// Like the in-process S3 tests, these fail (not skip) when s3rver is not installed (<see cref="S3rver.Binary"/>).
/// </summary>
public sealed class S3StorageE2ETests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Every NAR is chunked, in chunks of 16–256 KiB: a MiB of random payload is a dozen or more objects.</summary>
    private const string Chunking = "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    private const string AllFlags = "--push * --pull * --delete * --create-cache * --destroy-cache * --configure-cache * --configure-cache-retention *";

    private readonly NixEnvironment _nix = new();
    private readonly List<VegaLiteProcess> _servers = [];
    private S3rver _s3 = null!;
    private S3Bucket _bucket = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3rver.StartAsync();
        _bucket = new S3Bucket(_s3.Endpoint, S3rver.Bucket);
    }

    public async Task DisposeAsync()
    {
        for (var i = _servers.Count - 1; i >= 0; i--)
        {
            await _servers[i].DisposeAsync();
        }
        _bucket?.Dispose();
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
        _nix.Dispose();
    }

    [NixFact]
    public async Task Two_caches_share_one_copy_in_the_bucket_a_pull_checks_signatures_and_GC_leaves_no_object()
    {
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 3 * 1024 * 1024);
        var hashes = closure.Paths.Select(Hash).Order().ToArray();
        Assert.Equal(3, hashes.Length);
        var server = await StartServerAsync();
        var token = await server.MakeTokenAsync(AllFlags.Split(' '));
        using var attic = new AtticClient(_nix, server.BaseUrl, token);
        Assert.Equal("", await attic.CreateCacheAsync("a"));
        Assert.Equal("", await attic.CreateCacheAsync("b"));
        Assert.Empty(await _bucket.ListKeysAsync());

        // Cache A: every path is new, so every upload stores its chunks, one object each at the bucket's root.
        var first = await server.LoggedAsync(() => attic.PushAsync("a", [closure.Top]));
        Assert.Equal(hashes, first.Missing.Order());
        Assert.All(closure.Paths, path => Assert.Equal("Uploaded", first.Uploads[path].Kind));
        var stored = await _bucket.ListKeysAsync();
        Assert.True(stored.Length >= 20, $"expected the 3 MiB payload as dozens of chunk objects, found {stored.Length}");
        Assert.All(stored, key => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.chunk$", key));

        // Cache B: the same paths are missing there, and each upload answers Deduplicated without writing any object.
        var second = await server.LoggedAsync(() => attic.PushAsync("b", [closure.Top]));
        Assert.Equal(hashes, second.Missing.Order());
        Assert.All(closure.Paths, path => Assert.Equal("Deduplicated", second.Uploads[path].Kind));
        Assert.Equal(stored, await _bucket.ListKeysAsync());
        Assert.Empty(await attic.GetMissingPathsAsync("b", hashes));

        // nix copy --from B into a fresh store, require-sigs: refused when only A's key is trusted, identical NARs with B's.
        var use = await attic.UseAsync("b"); // the netrc entry for the private cache, and B's key
        var keyOfA = (await attic.GetCacheConfigAsync("a")).PublicKey;
        Assert.NotEqual(keyOfA, use.PublicKey);
        var refused = await _nix.RunAsync("nix", ["copy", "--from", use.Substituter, "--to", Path.Combine(_nix.Directory, "refused"), closure.Top],
            "require-sigs = true", $"trusted-public-keys = {keyOfA}");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("signature", refused.Stderr, StringComparison.OrdinalIgnoreCase);
        await PullAndCompareAsync(server, use, closure.Top, closure.Paths);

        // Retention GC of A: A's objects expire, but B holds the same NARs, so no chunk and no object may go.
        Assert.Equal("", await attic.ConfigureCacheAsync("a", retentionSeconds: 1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var expired = await server.CollectGarbageAsync();
        output.WriteLine($"{stored.Length} objects after pushing to A and to B; retention pass on A: {expired}");
        Assert.Contains($"{hashes.Length} objects, 0 NARs, 0 chunks", expired);
        Assert.Equal(hashes, (await attic.GetMissingPathsAsync("a", hashes)).Order());
        Assert.Empty(await attic.GetMissingPathsAsync("b", hashes));
        Assert.Equal(stored, await _bucket.ListKeysAsync());

        // Destroying B orphans the NARs: the next pass deletes every chunk, and with it every object in the bucket.
        Assert.Equal("", await attic.DestroyCacheAsync("b"));
        var emptied = await server.CollectGarbageAsync();
        output.WriteLine($"after destroying B: {emptied}");
        Assert.Contains($"{hashes.Length} NARs, {stored.Length} chunks", emptied);
        Assert.Empty(await _bucket.ListKeysAsync());
    }

    [NixFact]
    public async Task A_chunk_object_deleted_behind_the_servers_back_is_a_503_never_a_truncated_200_and_nix_copy_repairs_it()
    {
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 2 * 1024 * 1024);
        var tree = closure.Paths.Single(p => p.Contains("-vega-tree-"));
        var server = await StartServerAsync();
        var token = await server.MakeTokenAsync(AllFlags.Split(' '));
        using var attic = new AtticClient(_nix, server.BaseUrl, token);
        Assert.Equal("", await attic.CreateCacheAsync("holes"));
        // The tree last, so that the objects it adds to the bucket are its chunks and nothing else's.
        var others = await server.LoggedAsync(() => attic.PushAsync("holes", closure.Paths.Where(p => p != tree), noClosure: true));
        Assert.Equal(2, others.Uploads.Count);
        var before = await _bucket.ListKeysAsync();
        var push = await server.LoggedAsync(() => attic.PushAsync("holes", [tree], noClosure: true));
        Assert.Equal("Uploaded", Assert.Single(push.Uploads).Value.Kind);
        var keys = (await _bucket.ListKeysAsync()).Except(before).ToArray();
        Assert.True(keys.Length >= 10, $"expected the 2 MiB NAR as a dozen or more chunk objects, found {keys.Length}");

        using var http = CacheApi.Client(server.BaseUrl, token);
        var narinfo = await http.GetStringAsync($"holes/{Hash(tree)}.narinfo");
        var url = Field(narinfo, "URL");
        using (var whole = await http.GetAsync($"holes/{url}"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode); // while every chunk is there, the NAR is served whole
            using var served = CompressionNames.OpenDecompressor(Field(narinfo, "Compression"), await whole.Content.ReadAsStreamAsync());
            using var nar = new MemoryStream();
            await served.CopyToAsync(nar);
            Assert.Equal(Nars.Dump(tree), nar.ToArray());
        }

        var victim = keys[keys.Length / 2];
        output.WriteLine($"the tree's NAR is {keys.Length} objects; deleting {victim}");
        await _bucket.DeleteAsync(victim);
        Assert.False(await _bucket.ExistsAsync(victim));
        Assert.Equal(before.Length + keys.Length - 1, (await _bucket.ListKeysAsync()).Length);

        // Every chunk is checked before the status line: Attic's IncompleteNar error, not a 200 that stops short.
        using (var broken = await http.GetAsync($"holes/{url}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.True(broken.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"expected 503, got {(int)broken.StatusCode} with Content-Length {broken.Content.Headers.ContentLength}");
            var body = await broken.Content.ReadAsStringAsync();
            Assert.Equal("application/json", broken.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("IncompleteNar", json.RootElement.GetProperty("error").GetString());
            Assert.Equal(503, json.RootElement.GetProperty("code").GetInt32());
        }
        await WaitForLogAsync(server, $"blob {victim} is missing from storage"); // the console log lags the answer

        // The download recorded the loss: the tree is now missing, as if never pushed.
        using (var gone = await http.GetAsync($"holes/{Hash(tree)}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // Real Nix: the tree is not in the cache, so the closure is refused before anything is copied.
        var use = await attic.UseAsync("holes");
        var store = Path.Combine(_nix.Directory, "holes");
        var pull = await _nix.RunAsync("nix", ["copy", "--from", use.Substituter, "--to", store, closure.Top],
            "require-sigs = true", $"trusted-public-keys = {use.PublicKey}");
        Assert.True(pull.ExitCode != 0, pull.Describe("nix copy --from (a chunk is missing)"));
        Assert.False(Path.Exists(store + tree), $"{store + tree} exists although a chunk of its NAR is gone");
        Assert.False(Path.Exists(store + closure.Top), $"{store + closure.Top} exists although a path it refers to is not there");

        // A plain nix copy --to sees the tree missing and pushes it again, which repairs it; then the closure pulls whole.
        var repush = await _nix.RunAsync("nix", ["copy", "--to", $"{use.Substituter}?compression=zstd", tree]);
        Assert.True(repush.ExitCode == 0, repush.Describe("nix copy --to (the repair)") + "\n--- server\n" + server.Log);
        await PullAndCompareAsync(server, use, closure.Top, closure.Paths);
    }

    [NixFact]
    public async Task A_push_killed_midway_leaves_nothing_visible_its_objects_go_at_the_next_GC_and_a_repush_substitutes()
    {
        var directory = Path.Combine(Path.GetTempPath(), "vega-e2e-s3crash-" + Guid.NewGuid().ToString("N")[..8]);
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 48 * 1024 * 1024);
        var big = closure.Paths.Single(p => p.Contains("-vega-tree-"));

        var first = await StartServerAsync(directory);
        var token = await first.MakeTokenAsync(AllFlags.Split(' '));
        using (var client = new AtticClient(_nix, first.BaseUrl, token))
        {
            Assert.Equal("", await client.CreateCacheAsync("crash"));
            var push = client.PushAsync("crash", [big], noClosure: true);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (ChunkPuts() < 20 && !push.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.False(push.IsCompleted, $"the push ended before the server could be killed in the middle of it ({ChunkPuts()} PUTs)");
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => push);
        }
        var orphans = await _bucket.ListKeysAsync();
        output.WriteLine($"killed after {ChunkPuts()} chunk PUTs logged; {orphans.Length} objects in the bucket");
        Assert.True(orphans.Length >= 20, $"expected the killed upload's objects in the bucket, found {orphans.Length}");

        var second = await StartServerAsync(directory);
        using var root = new AtticClient(_nix, second.BaseUrl, token);
        using var http = CacheApi.Client(second.BaseUrl, token);
        using (var narinfo = await http.GetAsync($"crash/{Hash(big)}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.NotFound, narinfo.StatusCode); // nothing half-pushed is visible
        }
        Assert.Equal([Hash(big)], await root.GetMissingPathsAsync("crash", [Hash(big)]));

        // The restarted server runs a pass at start; let it finish, then run one more, as an operator would.
        await WaitForLogAsync(second, "Garbage collection:");
        var gc = await second.CollectGarbageAsync();
        output.WriteLine($"the restarted server's pass: {second.Log.Split('\n').First(l => l.Contains("Garbage collection:")).Trim()}; then {gc}");
        Assert.Empty(await _bucket.ListKeysAsync());
        // The dead upload's lease is what found them (no chunk row names an uncommitted blob), in one pass or the other.
        Assert.True((second.Log + gc).Contains("1 abandoned uploads removed"), $"no pass removed the abandoned upload:\n{gc}\n{second.Log}");

        var repush = await second.LoggedAsync(() => root.PushAsync("crash", closure.Paths));
        Assert.Equal(closure.Paths.Count, repush.Uploads.Count);
        Assert.All(repush.Uploads.Values, upload => Assert.Equal("Uploaded", upload.Kind));
        var repushed = await _bucket.ListKeysAsync();
        output.WriteLine($"re-push: {repushed.Length} objects");
        Assert.True(repushed.Length >= orphans.Length, "the re-push stored fewer objects than the killed one had");
        await PullAndCompareAsync(second, await root.UseAsync("crash"), closure.Top, closure.Paths);
    }

    private async Task<VegaLiteProcess> StartServerAsync(string? directory = null)
    {
        var server = await VegaLiteProcess.StartAsync(directory, Chunking, _s3.StorageToml);
        _servers.Add(server);
        return server;
    }

    /// <summary>Chunk PUTs s3rver has answered 200 (its log lags a little behind the answers).</summary>
    private int ChunkPuts() => _s3.Requests.Count(r => r.StartsWith($"PUT /{S3rver.Bucket}/") && r.EndsWith(".chunk 200"));

    /// <summary><c>nix copy --from</c> into a fresh store with require-sigs and only the cache's key; NAR hashes must match.</summary>
    private async Task PullAndCompareAsync(VegaLiteProcess server, AtticUse use, string top, IReadOnlyList<string> paths)
    {
        var store = Path.Combine(_nix.Directory, "pulled-" + Guid.NewGuid().ToString("N")[..8]);
        var pull = await _nix.RunAsync("nix", ["copy", "--from", use.Substituter, "--to", store, top],
            "require-sigs = true", $"trusted-public-keys = {use.PublicKey}");
        Assert.True(pull.ExitCode == 0, pull.Describe("nix copy --from") + "\n--- server\n" + server.Log);
        foreach (var path in paths)
        {
            Assert.Equal(Nars.HashOf(path), Nars.HashOf(store + path));
        }
    }

    private static async Task WaitForLogAsync(VegaLiteProcess server, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!server.Log.Contains(text))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the server did not log \"{text}\" within 60 s:\n{server.Log}");
            await Task.Delay(50);
        }
    }

    private static string Field(string narinfo, string name) =>
        narinfo.Split('\n').Single(line => line.StartsWith(name + ": "))[(name.Length + 2)..];

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];
}
