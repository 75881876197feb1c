using System.Net;
using System.Security.Cryptography;
using Vega.Lite.Core.Nix;
using Vega.Lite.E2E.Hostile;
using Vega.Lite.E2E.Support;
using Xunit.Abstractions;

namespace Vega.Lite.E2E;

/// <summary>
/// Issue 14: the SIGKILL-during-push test, 20 rounds in one run on one data directory, alternating the attic client's
/// upload-path and <c>nix copy --to http://…</c> (real Nix 2.8). Each round kills the server at a seeded random point
/// of a push, restarts it on the same data, and requires the path whole (narinfo, and a NAR download byte-identical
/// to the local path's NAR and matching its NarHash) or absent (404, reported missing), never half; then a GC pass on
/// the stopped server must leave no orphan blob, lease or temporary file.
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself (Hostile/StorageState): not in the PostgreSQL pass
public sealed class CrashSafetyRepeatedTests(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private const int Seed = 0x14C0DE;
    private const int PayloadBytes = 16 * 1024 * 1024;
    private const string Cache = "crash20";

    /// <summary>Every NAR chunked into many blobs; stored uncompressed so a download is the NAR itself; no GC loop.</summary>
    private const string Config =
        "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144\n" +
        "[compression]\ntype = \"none\"\n[garbage-collection]\ninterval = \"0s\"";

    private const string AllFlags = "--push * --pull * --delete * --create-cache * --destroy-cache * --configure-cache * --configure-cache-retention *";

    [NixFact]
    public async Task Twenty_SIGKILLs_mid_push_alternating_attic_and_nix_copy_leave_each_path_whole_or_absent_and_no_orphan()
    {
        using var nix = new NixEnvironment();
        var paths = await BuildPathsAsync(nix, Rounds + 2);
        var directory = Path.Combine(Path.GetTempPath(), "vega-e2e-crash20-" + Guid.NewGuid().ToString("N")[..8]);
        var server = await VegaLiteProcess.StartAsync(directory, Config);
        try
        {
            var token = await server.MakeTokenAsync(AllFlags.Split(' '));
            nix.SetToken(token);
            using (var api = new CacheApi(server.BaseUrl, token))
            {
                await api.CreateCacheAsync(Cache);
            }

            // One uninterrupted push per route: how many blobs a path makes, the span the kill points are drawn from.
            for (var route = 0; route < 2; route++)
            {
                await PushAsync(route == 1, nix, server, token, paths[route]);
                Assert.Equal("whole", await WholeOrAbsentAsync(server, token, paths[route]));
            }
            var blobsPerPath = server.BlobFiles().Length / 2;
            output.WriteLine($"an uninterrupted push stores {blobsPerPath} blobs");

            var rng = new Random(Seed);
            using var storage = new StorageState(directory);
            var killedMidPush = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var viaNix = round % 2 == 1;
                var path = paths[2 + round];
                // Killed once the push has stored a seeded random number of new blobs: anywhere in the NAR stream, or
                // (past the last blob) while the upload is being recorded or the narinfo sent, or after the push ended.
                var threshold = rng.Next(1, blobsPerPath + 12);
                var baseline = server.BlobFiles().Length;
                var push = PushAsync(viaNix, nix, server, token, path);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (!push.IsCompleted && server.BlobFiles().Length - baseline < threshold && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(2);
                }
                var running = !push.IsCompleted;
                await server.KillAsync();
                try
                {
                    await push.WaitAsync(TimeSpan.FromMinutes(2));
                }
                catch (Exception e) when (e is AtticApiException or HttpRequestException or InvalidOperationException or IOException or TaskCanceledException)
                {
                    // the push fails with the server gone; what matters is what the restarted server shows
                }
                killedMidPush += running ? 1 : 0;

                server = await VegaLiteProcess.StartAsync(directory);
                var state = await WholeOrAbsentAsync(server, token, path);
                await server.KillAsync();
                var gc = await server.CollectGarbageAsync();
                var orphans = await storage.OrphansAsync();
                Assert.True(orphans.Count == 0, $"round {round}: after a GC pass: {string.Join("; ", orphans)}\n{gc}");
                output.WriteLine($"round {round,2} {(viaNix ? "nix copy" : "attic   ")} kill after {threshold,3} new blobs " +
                    $"({(running ? "mid-push" : "push had ended")}): {state}; {storage.Files().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} blobs; GC: {gc}");
                server = await VegaLiteProcess.StartAsync(directory);
            }
            Assert.True(killedMidPush >= Rounds / 2, $"only {killedMidPush} of {Rounds} kills landed while the push was running");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task PushAsync(bool viaNix, NixEnvironment nix, VegaLiteProcess server, string token, string path)
    {
        if (viaNix)
        {
            // One attempt: Nix must not retry its PUTs against the restarted server after the kill.
            var copy = await nix.RunAsync("nix", ["copy", "--to", $"{server.BaseUrl}/{Cache}?compression=none", path], "download-attempts = 1");
            if (copy.ExitCode != 0)
            {
                throw new InvalidOperationException(copy.Describe("nix copy --to"));
            }
            return;
        }
        using var client = new AtticClient(nix, server.BaseUrl, token);
        await client.PushAsync(Cache, [path], noClosure: true);
    }

    /// <summary>"whole" or "absent"; anything in between fails the test.</summary>
    private static async Task<string> WholeOrAbsentAsync(VegaLiteProcess server, string token, string path)
    {
        var hash = Path.GetFileName(path)[..32];
        using var http = CacheApi.Client(server.BaseUrl, token);
        using var missingResponse = await http.PostAsync("_api/v1/get-missing-paths",
            new StringContent($"{{\"cache\":\"{Cache}\",\"store_path_hashes\":[\"{hash}\"]}}", System.Text.Encoding.UTF8, "application/json"));
        var missing = (await missingResponse.Content.ReadAsStringAsync()).Contains(hash, StringComparison.Ordinal);
        using var narinfo = await http.GetAsync($"{Cache}/{hash}.narinfo");
        if (narinfo.StatusCode == HttpStatusCode.NotFound)
        {
            Assert.True(missing, $"{path}: narinfo 404 but get-missing-paths does not report it missing");
            return "absent";
        }
        var text = await narinfo.Content.ReadAsStringAsync();
        Assert.True(narinfo.StatusCode == HttpStatusCode.OK, $"{path}: narinfo answered {(int)narinfo.StatusCode}: {text}\n{server.Log}");
        Assert.False(missing, $"{path}: visible but reported missing");
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(": ", 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        Assert.Equal("none", fields["Compression"]);
        using var nar = await http.GetAsync($"{Cache}/{fields["URL"]}");
        Assert.True(nar.StatusCode == HttpStatusCode.OK, $"{path}: visible, but its NAR answers {(int)nar.StatusCode}: half a path");
        var served = await nar.Content.ReadAsByteArrayAsync();
        var local = Nars.Dump(path);
        Assert.True(served.AsSpan().SequenceEqual(local), $"{path}: the served NAR ({served.Length} bytes) differs from the local one ({local.Length} bytes)");
        Assert.Equal(NixHash.Parse(fields["NarHash"]).ToHexString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(served)));
        Assert.Equal(local.Length.ToString(), fields["NarSize"]);
        return "whole";
    }

    /// <summary>Builds <paramref name="count"/> independent paths, each a directory with a random payload, in one nix-build.</summary>
    private static Task<string[]> BuildPathsAsync(NixEnvironment nix, int count) =>
        nix.BuildManyAsync("vega-crash", count,
            $"/bin/mkdir $out && echo ${{toString i}} > $out/id && /bin/head -c {PayloadBytes} /dev/urandom > $out/payload");
}
