using System.Net;
using System.Text.Json;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// What an operator uses on the published binary (issue 19): <c>/healthz</c> and <c>/readyz</c>, <c>vega-lite cache
/// list</c> beside a serving process, and <c>GET /_api/v1/caches</c> agreeing with it.
/// </summary>
public sealed class OperationsTests : IAsyncLifetime
{
    private VegaLiteProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await VegaLiteProcess.StartAsync();
        foreach (var (name, visibility) in new[] { ("zeta", "--public"), ("alpha", "--private") })
        {
            var created = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "ensure-cache", name, visibility]);
            Assert.True(created.ExitCode == 0, created.Describe("ensure-cache"));
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_readiness_and_the_cache_list_agree_with_the_api()
    {
        using var anonymous = CacheApi.Client(_server.BaseUrl, null);
        Assert.Equal("ok\n", await anonymous.GetStringAsync("healthz"));
        using (var ready = await anonymous.GetAsync("readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("""{"database":"ok","storage":"ok"}""", await ready.Content.ReadAsStringAsync());
        }

        var list = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "cache", "list"]);
        Assert.True(list.ExitCode == 0, list.Describe("cache list"));
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME +VISIBILITY +PATHS +NAR BYTES +STORED BYTES +PUBLIC KEY$", lines[0]);
        Assert.Matches(@"^alpha +private +0 +0 +0 +alpha:[A-Za-z0-9+/]{43}=$", lines[1]);
        Assert.Matches(@"^zeta +public +0 +0 +0 +zeta:[A-Za-z0-9+/]{43}=$", lines[2]);

        using var visible = JsonDocument.Parse(await anonymous.GetStringAsync("_api/v1/caches"));
        Assert.Equal(["zeta"], visible.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1],
            visible.RootElement.GetProperty("zeta").GetProperty("public_key").GetString());
        using var root = CacheApi.Client(_server.BaseUrl, await _server.MakeTokenAsync("--pull", "*"));
        using var all = JsonDocument.Parse(await root.GetStringAsync("_api/v1/caches"));
        Assert.Equal(["alpha", "zeta"], all.RootElement.EnumerateObject().Select(p => p.Name));

        var wrong = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "cache", "show"]);
        Assert.Equal(2, wrong.ExitCode);
        Assert.StartsWith("error: cache needs a subcommand: list", wrong.Stderr);
    }

    [Fact]
    public async Task The_binarys_metrics_count_each_request_push_and_download_it_answered()
    {
        using var pusher = CacheApi.Client(_server.BaseUrl, await _server.MakeTokenAsync("--push", "zeta", "--pull", "zeta"));
        var file = Path.Combine(_server.Directory, "metrics-payload");
        await File.WriteAllBytesAsync(file, System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000));
        var nar = Nars.Dump(file);
        var storePath = $"/nix/store/{new string('m', 32)}-metrics";
        Assert.Equal("Uploaded", await CacheApi.UploadPathAsync(pusher, "zeta", storePath, nar));
        using var anonymous = CacheApi.Client(_server.BaseUrl, null);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await CacheApi.StatusAsync(anonymous, $"zeta/{new string('m', 32)}.narinfo"));
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, await CacheApi.StatusAsync(anonymous, $"zeta/{new string('n', 32)}.narinfo"));
        }
        Assert.NotEmpty(await anonymous.GetByteArrayAsync($"zeta/nar/{new string('m', 32)}.nar")); // as stored: zstd

        var metrics = new Vega.Lite.Tests.Support.PrometheusText(await anonymous.GetStringAsync("metrics"));
        string[] narinfo = ["http_route=/{cache}/{file}", "http_request_method=GET"];
        Assert.Equal(3, metrics.Single("http_server_request_duration_seconds_count", [.. narinfo, "http_response_status_code=200"]));
        Assert.Equal(2, metrics.Single("http_server_request_duration_seconds_count", [.. narinfo, "http_response_status_code=404"]));
        Assert.Equal(1, metrics.Single("http_server_request_duration_seconds_count", "http_route=/{cache}/nar/{file}", "http_response_status_code=200"));
        Assert.Equal(1, metrics.Single("vega_lite_upload_duration_seconds_count", "route=attic", "outcome=stored"));
        Assert.Equal(nar.Length, metrics.Single("vega_lite_upload_nar_bytes_total"));
        Assert.True(metrics.Single("vega_lite_http_received_bytes_total") >= nar.Length);
        Assert.Equal(1, metrics.Single("vega_lite_cache_objects", "cache=zeta"));
        Assert.Equal(0, metrics.Single("vega_lite_cache_objects", "cache=alpha"));
        Assert.Equal(nar.Length, metrics.Single("vega_lite_cache_nar_bytes", "cache=zeta"));
        Assert.True(metrics.Single("vega_lite_gc_passes_total", "outcome=completed") >= 1); // monolithic mode collects at start
        Assert.True(metrics.Single("dotnet_process_memory_working_set_bytes") > 10_000_000);
    }

    [Fact]
    public async Task A_metrics_token_in_the_config_guards_the_binarys_scrape()
    {
        await using var guarded = await VegaLiteProcess.StartAsync(extraToml: "[metrics]\ntoken = \"scrape-secret-0123456789\"");
        using var anonymous = CacheApi.Client(guarded.BaseUrl, null);
        Assert.Equal(HttpStatusCode.Unauthorized, await CacheApi.StatusAsync(anonymous, "metrics"));
        using var scraper = CacheApi.Client(guarded.BaseUrl, "scrape-secret-0123456789");
        Assert.Contains("vega_lite_storage_objects", await scraper.GetStringAsync("metrics"));
    }
}
