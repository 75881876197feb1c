using System.Net;
using System.Security.Cryptography;
using Vega.Lite.Core.Nix;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// Issue 14, defect 7: an upload whose client stops sending mid-body, or crawls below <c>upload.min-rate</c>, has its
/// connection closed within the idle timeout and leaves no lease, blob or row; a slow but moving one completes. The
/// trickle is above Kestrel's own default minimum (240 bytes/s), which never cut any of these.
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed class StalledUploadTests
{
    private const int IdleSeconds = 3;
    private const int MinRate = 2000;

    private static readonly string Toml =
        "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144\n" +
        $"[upload]\nidle-timeout = \"{IdleSeconds}s\"\nmin-rate = {MinRate}\n";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(IdleSeconds + 5);

    public enum Route { UploadPath, NixCopy }

    [Theory]
    [InlineData(Route.UploadPath)]
    [InlineData(Route.NixCopy)]
    public async Task An_upload_that_stops_sending_halfway_is_closed_within_the_idle_timeout_and_leaves_nothing(Route route)
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: Toml);
        var token = await SetUpAsync(server);
        var nar = Nar(1024 * 1024);
        using var upload = await StartUploadAsync(server, token, route, nar);

        await upload.SendAsync(nar.AsMemory(0, nar.Length / 2));
        var stalledAt = DateTime.UtcNow;
        Assert.True(await InFlightAsync(server), "the half-sent upload never took out a lease or wrote a blob\n" + server.Log);
        var closed = await upload.WaitForCloseAsync(Bound - (DateTime.UtcNow - stalledAt));

        Assert.True(closed is not null, $"the stalled upload was still open {Bound.TotalSeconds} s after it stopped sending\n{server.Log}");
        Assert.True(DateTime.UtcNow - stalledAt >= TimeSpan.FromSeconds(IdleSeconds - 0.5), "closed before the idle timeout");
        await AssertCutCleanlyAsync(server, "upload.idle-timeout");
    }

    [Fact]
    public async Task An_upload_that_trickles_below_the_minimum_rate_is_closed_and_leaves_nothing()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: Toml);
        var token = await SetUpAsync(server);
        var nar = Nar(1024 * 1024);
        using var upload = await StartUploadAsync(server, token, Route.UploadPath, nar);

        await upload.SendAsync(nar.AsMemory(0, 300 * 1024)); // enough for the first chunks to be written
        var started = DateTime.UtcNow;
        Assert.True(await InFlightAsync(server), "the upload never took out a lease or wrote a blob\n" + server.Log);
        var sent = 300 * 1024;
        var closing = upload.WaitForCloseAsync(Bound + TimeSpan.FromSeconds(IdleSeconds));
        while (!closing.IsCompleted && sent + 250 < nar.Length)
        {
            try
            {
                await upload.SendAsync(nar.AsMemory(sent, 250)); // 500 bytes/s: moving, but below min-rate
            }
            catch (IOException)
            {
                break; // the server closed it
            }
            sent += 250;
            await Task.Delay(500);
        }
        var closed = await closing;

        Assert.True(closed is not null, $"the trickling upload was still open {(Bound + TimeSpan.FromSeconds(IdleSeconds)).TotalSeconds} s on\n{server.Log}");
        Assert.True(DateTime.UtcNow - started <= Bound + TimeSpan.FromSeconds(IdleSeconds));
        await AssertCutCleanlyAsync(server, "upload.min-rate");
    }

    [Theory]
    [InlineData(Route.UploadPath)]
    [InlineData(Route.NixCopy)]
    public async Task A_slow_but_moving_upload_longer_than_the_idle_timeout_completes(Route route)
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: Toml);
        var token = await SetUpAsync(server);
        var nar = Nar(40 * 1024);
        using var upload = await StartUploadAsync(server, token, route, nar);

        var started = DateTime.UtcNow;
        for (var sent = 0; sent < nar.Length; sent += 4000)
        {
            await upload.SendAsync(nar.AsMemory(sent, Math.Min(4000, nar.Length - sent))); // 8,000 bytes/s
            await Task.Delay(500);
        }
        await upload.EndAsync();
        var closed = await upload.WaitForCloseAsync(TimeSpan.FromSeconds(30));

        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(IdleSeconds + 1), "the upload was not slower than the idle timeout");
        Assert.True(closed is not null, "no answer within 30 s\n" + server.Log);
        Assert.StartsWith("HTTP/1.1 200", upload.Received);
        Assert.DoesNotContain("Closed the connection", server.Log);
        Assert.True((await CountRowsAsync(server))["nar"] == 1, server.Log);
    }

    private static async Task<string> SetUpAsync(VegaLiteProcess server)
    {
        var token = await server.MakeTokenAsync("--push", "*", "--pull", "*", "--create-cache", "*");
        using var api = new CacheApi(server.BaseUrl, token);
        await api.CreateCacheAsync("stall");
        return token;
    }

    /// <summary>A NAR of one regular file of incompressible bytes.</summary>
    private static byte[] Nar(int size)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(size));
            return Nars.Dump(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The request head as the attic client (chunked, info in a header) or `nix copy` (a length) sends it.</summary>
    private static Task<RawHttpRequest> StartUploadAsync(VegaLiteProcess server, string token, Route route, byte[] nar)
    {
        var auth = "Authorization: bearer " + token;
        if (route == Route.NixCopy)
        {
            var name = Nix32.Encode(SHA256.HashData(nar)) + ".nar";
            return RawHttpRequest.StartAsync(server.Port, "PUT", $"/stall/nar/{name}", [auth, "Content-Type: application/x-nix-nar"], nar.Length);
        }
        var hash = RandomStorePathHash();
        var info = $$"""{"cache":"stall","store_path_hash":"{{hash}}","store_path":"/nix/store/{{hash}}-stall","references":[],"system":null,"deriver":null,"sigs":[],"ca":null,"nar_hash":"sha256:{{Convert.ToHexStringLower(SHA256.HashData(nar))}}","nar_size":{{nar.Length}}}""";
        return RawHttpRequest.StartAsync(server.Port, "PUT", "/_api/v1/upload-path", [auth, "X-Attic-Nar-Info: " + info], contentLength: null);
    }

    private static string RandomStorePathHash()
    {
        const string alphabet = "0123456789abcdfghijklmnpqrsvwxyz";
        return new string(Enumerable.Range(0, 32).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
    }

    /// <summary>Whether the upload reached storage (a lease or a blob), polled for up to a second.</summary>
    private static async Task<bool> InFlightAsync(VegaLiteProcess server)
    {
        for (var i = 0; i < 20; i++)
        {
            if (server.BlobFiles().Length > 0 || (await CountRowsAsync(server))["vega_upload_lease"] > 0)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>One warning line naming the limit, no exception, the server still serving, and nothing stored.</summary>
    private static async Task AssertCutCleanlyAsync(VegaLiteProcess server, string limit)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        Dictionary<string, long> rows;
        while (((rows = await CountRowsAsync(server)).Values.Any(n => n > 0) || server.BlobFiles().Length > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(rows.Values.All(n => n == 0), "left behind: " + string.Join(", ", rows.Select(r => $"{r.Key} {r.Value}")) + "\n" + server.Log);
        Assert.Empty(server.BlobFiles());
        Assert.Equal([Path.Combine(server.Directory, "storage", "VERSION")],
            Directory.GetFiles(Path.Combine(server.Directory, "storage"), "*", SearchOption.AllDirectories));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using (var root = await http.GetAsync(server.BaseUrl + "/"))
        {
            Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        }
        var log = server.Log.Split('\n');
        var cut = log.Where(l => l.Contains("Closed the connection")).ToList();
        Assert.True(cut.Count == 1, "expected one line about the cut\n" + server.Log);
        Assert.StartsWith("warn:", cut[0].Split(' ', 2)[1]);
        Assert.Contains(limit, cut[0]);
        Assert.DoesNotContain(log, l => l.Contains("Exception") || l.Contains("fail:") || l.TrimStart().StartsWith("at "));
    }

    /// <summary>Rows of the tables an upload writes, read with Python's sqlite3 (python3 is a test prerequisite).</summary>
    private static async Task<Dictionary<string, long>> CountRowsAsync(VegaLiteProcess server)
    {
        string[] tables = ["vega_upload_lease", "nar", "chunk", "chunkref", "object", "vega_nix_upload"];
        const string script =
            "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\n" +
            "print(' '.join(str(c.execute('SELECT count(*) FROM ' + t).fetchone()[0]) for t in sys.argv[2:]))";
        var result = await Processes.RunAsync("python3", ["-c", script, Path.Combine(server.Directory, "server.db"), .. tables],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe("python3 sqlite3"));
        var counts = result.Stdout.Trim().Split(' ').Select(long.Parse).ToArray();
        return tables.Zip(counts).ToDictionary(p => p.First, p => p.Second);
    }
}
