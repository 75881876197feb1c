using System.Net;
using System.Text.Json;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>A fact that is skipped, with the reason, only when Nix is not installed.</summary>
public sealed class NixFactAttribute : FactAttribute
{
    public NixFactAttribute()
    {
        if (!NixEnvironment.IsAvailable)
        {
            Skip = "Nix is not installed (no nix-store on PATH): install Debian's nix-bin to run this test";
        }
    }
}

/// <summary>
/// Attic's own NixOS integration test (integration-tests/basic, docs/attic-api.md §10.1) replayed against the published binary
/// with <see cref="AtticClient"/> in place of the stock client, asserting the exact status codes and error names (docs/attic-api.md §10.3).
/// </summary>
public sealed class AtticIntegrationTests
{
    /// <summary>The integration test's chunking settings: every NAR is chunked.</summary>
    private const string ChunkingToml = "[chunking]\nnar-size-threshold = 1\nmin-size = 65536\navg-size = 131072\nmax-size = 262144";

    private const string RootFlags = "--push * --pull * --delete * --create-cache * --destroy-cache * --configure-cache * --configure-cache-retention *";

    [NixFact]
    public async Task Attics_basic_integration_test_passes_with_the_exact_status_codes()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: ChunkingToml);
        var storage = Path.Combine(server.Directory, "storage");
        await RunBasicSequenceAsync(new SequenceTarget(server.BaseUrl, server, () => server.Log,
            () => Task.FromResult<IReadOnlyList<string>>(Directory.EnumerateFiles(storage, "*", SearchOption.AllDirectories)
                .Select(Path.GetFileName).Where(name => name != "VERSION").ToList()!),
            TimeSpan.Zero));
    }

    /// <summary>What the sequence runs against: one server, or replicas behind a proxy (<c>ReplicaTests</c>).</summary>
    /// <param name="Admin">a server whose config mints the tokens and runs garbage-collector-once</param>
    /// <param name="StoredBlobs">the blobs left in storage (local files but VERSION, or the bucket's objects)</param>
    /// <param name="Settle">how long a change made through one replica may take to show through another (none for one server)</param>
    public sealed record SequenceTarget(
        string BaseUrl, VegaLiteProcess Admin, Func<string> Logs, Func<Task<IReadOnlyList<string>>> StoredBlobs, TimeSpan Settle);

    /// <summary>Attic's basic integration test, steps 1 to 13, against <paramref name="target"/>.</summary>
    public static async Task RunBasicSequenceAsync(SequenceTarget target)
    {
        var server = target.Admin;
        using var nix = new NixEnvironment();
        using var anonymous = new HttpClient { BaseAddress = new Uri(target.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        async Task<T> Logged<T>(Func<Task<T>> call)
        {
            try
            {
                return await call();
            }
            catch (AtticApiException e)
            {
                throw new InvalidOperationException($"{e.Message}\n--- server\n{target.Logs()}", e);
            }
        }
        Task Realise(AtticUse use, string path) => RealiseAsync(target.Logs, nix, use, path);
        Task AssertAnonymous(string path, HttpStatusCode status, string? error) => AssertAnonymousAsync(anonymous, path, status, error, target.Settle);

        // 1. The server answers GET /.
        using (var response = await anonymous.GetAsync(""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // 2. Tokens from the binary's make-token, as the test mints them with atticadm: root with all seven bits on *, readonly --pull test.
        var rootToken = await server.MakeTokenAsync(RootFlags.Split(' '));
        var readonlyToken = await server.MakeTokenAsync("--pull", "test");

        // 3. attic login root (default) / readonly / anon (no token).
        using var root = new AtticClient(nix, target.BaseUrl, rootToken);
        using var readOnly = new AtticClient(nix, target.BaseUrl, readonlyToken);
        using var anon = new AtticClient(nix, target.BaseUrl, null);

        // 4. attic cache create test: 200, empty body.
        Assert.Equal("", await root.CreateCacheAsync("test"));

        // 5. attic push test <path>; then the path is deleted locally.
        var testPath = (await BuildHelloAsync(nix, "test", 1))[0];
        var push = await Logged(() => root.PushAsync("test", [testPath]));
        Assert.Equal([HashOf(testPath)], push.Missing);
        var uploaded = Assert.Single(push.Uploads).Value;
        AssertUploaded(uploaded);
        Assert.Empty(await root.GetMissingPathsAsync("test", [HashOf(testPath)]));
        await DeleteLocallyAsync(nix, testPath);

        // 6. attic use readonly:test; nix-store -r <path> (Basic auth from netrc, Sig checked); grep hello.
        var use = await readOnly.UseAsync("test");
        Assert.Equal($"{target.BaseUrl}/test", use.Substituter);
        Assert.StartsWith("test:", use.PublicKey);
        Assert.Contains($"machine 127.0.0.1\npassword {readonlyToken}\n", File.ReadAllText(nix.NetrcPath));
        await Realise(use, testPath);

        // 7. Negative pushes: readonly fails at get-missing-paths (403), anon at the first cache-config GET (401).
        var denied = await Assert.ThrowsAsync<AtticApiException>(() => readOnly.PushAsync("test", [testPath]));
        AssertError(denied, "POST _api/v1/get-missing-paths", HttpStatusCode.Forbidden, "AccessError");
        var unauthorized = await Assert.ThrowsAsync<AtticApiException>(() => anon.PushAsync("test", [testPath]));
        AssertError(unauthorized, "GET _api/v1/cache-config/test", HttpStatusCode.Unauthorized, "Unauthorized");

        // 8. attic push test --stdin with 10 paths; delete each locally, then realise each. All write "hello",
        //    as upstream's do, so their NAR is the one step 5 uploaded: every upload is deduplicated.
        var many = await BuildHelloAsync(nix, "stdin", 10);
        var batch = await Logged(() => root.PushAsync("test", many));
        Assert.Equal(many.Select(HashOf).Order(), batch.Missing.Order());
        Assert.Equal(10, batch.Uploads.Count);
        Assert.All(batch.Uploads.Values, AssertDeduplicated);
        foreach (var path in many)
        {
            await DeleteLocallyAsync(nix, path);
        }
        foreach (var path in many)
        {
            await Realise(use, path);
        }

        // 9. Public toggle: anonymous nix-cache-info and narinfo are 401 (the object exists) until configure --public.
        await AssertAnonymous("test/nix-cache-info", HttpStatusCode.Unauthorized, "Unauthorized");
        await AssertAnonymous($"test/{HashOf(testPath)}.narinfo", HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal("", await root.ConfigureCacheAsync("test", isPublic: true));
        await AssertAnonymous("test/nix-cache-info", HttpStatusCode.OK, null);
        await AssertAnonymous($"test/{HashOf(testPath)}.narinfo", HttpStatusCode.OK, null);

        // Beyond upstream (#350): the same configure --public with a token that has cr but not cq succeeds, since the
        // "Global" retention the client always sends is no change; a real retention change still needs cq.
        using (var configurer = new AtticClient(nix, target.BaseUrl, await server.MakeTokenAsync("--configure-cache", "test")))
        {
            Assert.Equal("", await configurer.ConfigureCacheAsync("test", isPublic: true));
            var retention = await Assert.ThrowsAsync<AtticApiException>(() => configurer.ConfigureCacheAsync("test", retentionSeconds: 1));
            AssertError(retention, "PATCH _api/v1/cache-config/test", HttpStatusCode.Forbidden, "AccessError");
        }

        // 10. GC: narinfo fetch succeeds; configure --retention-period 1s; sleep 2 s; garbage-collector-once; narinfo 404.
        var narinfoPath = $"test/{HashOf(testPath)}.narinfo";
        await AssertAnonymous(narinfoPath, HttpStatusCode.OK, null);
        Assert.Equal("", await root.ConfigureCacheAsync("test", retentionSeconds: 1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await server.CollectGarbageAsync();
        await AssertAnonymous(narinfoPath, HttpStatusCode.NotFound, "NoSuchObject");

        // 11. Storage: no blob is left (local storage: no file but VERSION).
        Assert.Empty(await target.StoredBlobs());
        Assert.Equal("", await root.ConfigureCacheAsync("test")); // back to the global retention (none) for what follows

        // 12. attic push --force-preamble test <new path>; delete it locally and realise it again.
        var preamblePath = (await BuildHelloAsync(nix, "preamble", 1))[0];
        var preamble = await Logged(() => root.PushAsync("test", [preamblePath], forcePreamble: true));
        Assert.Equal([HashOf(preamblePath)], preamble.Missing);
        AssertUploaded(Assert.Single(preamble.Uploads).Value); // the shared "hello" NAR went with the GC of step 10
        await DeleteLocallyAsync(nix, preamblePath);
        await Realise(use, preamblePath);

        // 13. attic cache info test; attic cache destroy --no-confirm test; then info is 404 and nix-cache-info 401.
        Assert.True((await root.GetCacheConfigAsync("test")).IsPublic);
        Assert.Equal("", await root.DestroyCacheAsync("test"));
        for (var deadline = DateTime.UtcNow + target.Settle; DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            try
            {
                await root.GetCacheConfigAsync("test"); // a replica that has not heard of the destroy yet
            }
            catch (AtticApiException)
            {
                break;
            }
        }
        var gone = await Assert.ThrowsAsync<AtticApiException>(() => root.GetCacheConfigAsync("test"));
        AssertError(gone, "GET _api/v1/cache-config/test", HttpStatusCode.NotFound, "NoSuchCache");
        await AssertAnonymous("test/nix-cache-info", HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [NixFact]
    public async Task A_new_NAR_pushed_in_preamble_mode_is_uploaded_then_deduplicated_into_a_second_cache()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: ChunkingToml);
        using var nix = new NixEnvironment();
        var token = await server.MakeTokenAsync(RootFlags.Split(' '));
        using var root = new AtticClient(nix, server.BaseUrl, token);
        Assert.Equal("", await root.CreateCacheAsync("first"));
        Assert.Equal("", await root.CreateCacheAsync("second"));
        var path = (await BuildHelloAsync(nix, "unique", 1, unique: true))[0];

        var first = await server.LoggedAsync(() => root.PushAsync("first", [path], forcePreamble: true));
        Assert.Equal([HashOf(path)], first.Missing);
        AssertUploaded(Assert.Single(first.Uploads).Value);
        Assert.Empty(await root.GetMissingPathsAsync("first", [HashOf(path)]));
        Assert.Equal([HashOf(path)], await root.GetMissingPathsAsync("second", [HashOf(path)]));

        var second = await server.LoggedAsync(() => root.PushAsync("second", [path]));
        AssertDeduplicated(Assert.Single(second.Uploads).Value);
        Assert.Empty(await root.GetMissingPathsAsync("second", [HashOf(path)]));

        await DeleteLocallyAsync(nix, path);
        await RealiseAsync(() => server.Log, nix, await root.UseAsync("second"), path);
    }

    private static string HashOf(string storePath) => Path.GetFileName(storePath)[..32];

    /// <summary>Builds <paramref name="count"/> trivial paths whose builder writes "hello" to $out (never substituted).</summary>
    private static Task<string[]> BuildHelloAsync(NixEnvironment nix, string label, int count, bool unique = false) =>
        nix.BuildManyAsync($"attic-{label}", count, $"echo {(unique ? $"hello {Guid.NewGuid():N}" : "hello")} > $out");

    private static async Task DeleteLocallyAsync(NixEnvironment nix, string path)
    {
        var delete = await nix.RunAsync("nix-store", ["--delete", path]);
        Assert.True(delete.ExitCode == 0, delete.Describe("nix-store --delete"));
        Assert.False(Path.Exists(path), $"{path} still exists after nix-store --delete");
    }

    /// <summary><c>nix-store -r PATH</c> with only the cache as substituter and only its key trusted, then <c>grep hello PATH</c>.</summary>
    private static async Task RealiseAsync(Func<string> logs, NixEnvironment nix, AtticUse use, string path)
    {
        var realise = await nix.RunAsync("nix-store", ["-r", path], [.. use.NixConfigLines, "require-sigs = true"]);
        Assert.True(realise.ExitCode == 0, realise.Describe("nix-store -r") + "\n--- server\n" + logs());
        Assert.Contains("hello", await File.ReadAllTextAsync(path));
    }

    /// <summary>The <c>message</c> of each error kind the tests meet (docs/attic-api.md §2.2).</summary>
    private static readonly Dictionary<string, string> Messages = new()
    {
        ["Unauthorized"] = "Unauthorized.",
        ["AccessError"] = "Access error: User does not have permission to complete this action.",
        ["NoSuchCache"] = "The requested cache does not exist.",
        ["NoSuchObject"] = "The requested object does not exist.",
    };

    private static void AssertError(AtticApiException e, string call, HttpStatusCode status, string error)
    {
        Assert.True(e.Call == call, $"expected the failure at {call}, got {e.Message}");
        Assert.Equal(status, e.Status);
        Assert.Equal(error, e.Error);
        Assert.Equal(((int)status).ToString(), e.Code);
        Assert.Equal(Messages[error], e.ErrorMessage);
    }

    private static void AssertUploaded(AtticUploadResult result)
    {
        Assert.Equal("Uploaded", result.Kind);
        Assert.StartsWith("""{"kind":"Uploaded",""", result.Body);
        Assert.True(result.FileSize > 0, $"file_size missing or not positive: {result.Body}");
        Assert.True(HasKey(result.Body, "frac_deduplicated"), result.Body);
    }

    private static void AssertDeduplicated(AtticUploadResult result)
    {
        Assert.Equal("Deduplicated", result.Kind);
        Assert.StartsWith("""{"kind":"Deduplicated",""", result.Body);
        Assert.Null(result.FileSize);
        Assert.True(HasKey(result.Body, "frac_deduplicated"), result.Body);
    }

    private static bool HasKey(string json, string key)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(key, out _);
    }

    /// <summary>
    /// An anonymous GET (curl --fail-with-body): the status, Attic's error name, and the visibility header; asked again
    /// for up to <paramref name="settle"/> while the status is another.
    /// </summary>
    private static async Task AssertAnonymousAsync(HttpClient anonymous, string path, HttpStatusCode status, string? error, TimeSpan settle)
    {
        var deadline = DateTime.UtcNow + settle;
        var response = await anonymous.GetAsync(path);
        while (response.StatusCode != status && DateTime.UtcNow < deadline)
        {
            response.Dispose();
            await Task.Delay(20);
            response = await anonymous.GetAsync(path);
        }
        using var answered = response;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"GET /{path}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        var visibility = response.Headers.TryGetValues("X-Attic-Cache-Visibility", out var values) ? string.Join(",", values) : null;
        if (error is null)
        {
            Assert.Equal("public", visibility);
        }
        else
        {
            Assert.Null(visibility);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
            Assert.Equal((int)status, json.RootElement.GetProperty("code").GetInt32());
            Assert.Equal(Messages[error], json.RootElement.GetProperty("message").GetString());
        }
    }
}
