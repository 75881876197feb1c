using Microsoft.Extensions.DependencyInjection;
using Vega.Lite.Gc;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Observability;

/// <summary>
/// OpenTelemetry listens to meters by name, process-wide: a server's <c>/metrics</c> would also count what other
/// in-process test servers do at the same time (a deployment runs one server per process). So these classes run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics, alone in the process";
}

/// <summary><c>GET /metrics</c> (issue 19, item 1): each series moves with what the server did, and the token guard.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("open", isPublic: true);
        await _server.CreateCacheAsync("closed");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<PrometheusText> ScrapeAsync(string? bearer = null)
    {
        using var client = _server.Client(bearer);
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_bytes_uploads_downloads_storage_gc_and_the_caches_gauges_move_with_what_was_done()
    {
        using var root = _server.Client(_server.RootToken);
        var nar = TestNar.File("metrics", new byte[300_000].Select((_, i) => (byte)(i * 7 % 251)).ToArray());
        using (var upload = await AtticUploads.Upload(root, "open", nar))
        {
            await AtticUploads.ReadResult(upload);
        }
        using var anonymous = _server.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/open/{nar.Hash}.narinfo")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/open/{new string('a', 32)}.narinfo")).StatusCode);
        var served = await Served.Nar(anonymous, "open", await Served.SignedNarInfo(anonymous, "open", nar.Hash));
        Assert.Equal(nar.Nar, served);

        var metrics = await ScrapeAsync();
        // Requests by route and status: ASP.NET Core's own histogram.
        // Three hits, one miss, and the narinfo Served.SignedNarInfo reads.
        Assert.Equal(5, metrics.Sum("http_server_request_duration_seconds_count", "http_route=/{cache}/{file}", "http_request_method=GET"));
        Assert.Equal(1, metrics.Single("http_server_request_duration_seconds_count", "http_route=/{cache}/{file}", "http_response_status_code=404"));
        Assert.Equal(1, metrics.Single("http_server_request_duration_seconds_count", "http_route=/_api/v1/upload-path", "http_response_status_code=200"));
        // Bytes in and out: the upload's body (the NAR) in; the NAR and the narinfos out.
        Assert.True(metrics.Single("vega_lite_http_received_bytes_total") >= nar.Nar.Length);
        Assert.Equal(1, metrics.Single("vega_lite_upload_duration_seconds_count", "route=attic", "outcome=stored"));
        Assert.Equal(0, metrics.Single("vega_lite_uploads_active"));
        Assert.Equal(nar.Nar.Length, metrics.Single("vega_lite_upload_nar_bytes_total"));
        Assert.Equal(1, metrics.Single("vega_lite_download_duration_seconds_count"));
        Assert.True(metrics.Single("vega_lite_db_duration_seconds_count", "operation=narinfo") >= 2); // a hit is held, the miss is read
        Assert.True(metrics.Single("vega_lite_storage_duration_seconds_count", "operation=write") >= 1);
        Assert.True(metrics.Single("vega_lite_storage_duration_seconds_count", "operation=read") >= 1);
        // The caches' gauges equal the database's sums.
        var usage = (await _server.Services.GetRequiredService<MetadataStore>().GetCacheUsageAsync(CancellationToken.None))
            .ToDictionary(c => c.Cache.Name, c => c.Usage);
        Assert.Equal(1, metrics.Single("vega_lite_cache_objects", "cache=open"));
        Assert.Equal(0, metrics.Single("vega_lite_cache_objects", "cache=closed"));
        Assert.Equal(nar.Nar.Length, metrics.Single("vega_lite_cache_nar_bytes", "cache=open"));
        Assert.Equal(usage["open"].StoredBytes, metrics.Single("vega_lite_cache_stored_bytes", "cache=open"));
        Assert.True(usage["open"].StoredBytes > 0);
        // Out: the NAR as stored (its chunks' compressed files, concatenated), the narinfos and the cache-config.
        Assert.InRange(metrics.Single("vega_lite_http_sent_bytes_total"), usage["open"].StoredBytes + 5 * 300, usage["open"].StoredBytes + 5 * 2000);
        Assert.Equal(usage["open"].StoredBytes, metrics.Single("vega_lite_storage_stored_bytes"));
        Assert.Equal(0, metrics.Single("vega_lite_storage_deduplicated_ratio"));

        // A pass that deletes the path's chunks counts them freed.
        using (var delete = await root.DeleteAsync($"/open/{nar.Hash}.narinfo"))
        {
            Assert.True(delete.IsSuccessStatusCode, await delete.Content.ReadAsStringAsync());
        }
        var report = await _server.Services.GetRequiredService<GarbageCollector>().RunOnceAsync(CancellationToken.None);
        Assert.True(report.Chunks > 0);
        var after = await ScrapeAsync();
        Assert.Equal(1, after.Single("vega_lite_gc_passes_total", "outcome=completed"));
        Assert.Equal(usage["open"].StoredBytes, after.Single("vega_lite_gc_freed_bytes_total"));
        Assert.Equal(1, after.Single("vega_lite_gc_duration_seconds_count"));
    }

    [Fact]
    public async Task The_same_NAR_pushed_again_counts_as_deduplicated_bytes()
    {
        using var root = _server.Client(_server.RootToken);
        var nar = TestNar.File("twice", "the same bytes, twice");
        foreach (var cache in new[] { "open", "closed" })
        {
            using var upload = await AtticUploads.Upload(root, cache, nar);
            await AtticUploads.ReadResult(upload);
        }
        var metrics = await ScrapeAsync();
        Assert.Equal(2 * nar.Nar.Length, metrics.Single("vega_lite_upload_nar_bytes_total"));
        Assert.Equal(nar.Nar.Length, metrics.Single("vega_lite_upload_deduplicated_bytes_total"));
        Assert.Equal(1, metrics.Single("vega_lite_upload_duration_seconds_count", "route=attic", "outcome=deduplicated"));
        Assert.Equal(metrics.Single("vega_lite_cache_nar_bytes", "cache=open"), metrics.Single("vega_lite_cache_nar_bytes", "cache=closed"));
    }
}

/// <summary><c>[metrics]</c>: a token guards the scrape; <c>enabled = false</c> exports nothing.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsConfigTests
{
    private const string Secret = "a-scrape-secret-of-some-length";

    [Fact]
    public async Task With_a_token_set_a_scrape_needs_it_as_a_bearer_token()
    {
        await using var server = await TestServer.StartAsync($"[metrics]\ntoken = \"{Secret}\"");
        foreach (var token in new string?[] { null, "wrong-secret-of-some-length", server.RootToken })
        {
            using var client = server.Client(token);
            using var refused = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer realm=\"metrics\"", refused.Headers.WwwAuthenticate.ToString());
            Assert.Contains("\"code\":401", await refused.Content.ReadAsStringAsync());
        }
        using var scraper = server.Client(Secret);
        using var scraped = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("vega_lite_storage_objects", await scraped.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Disabled_metrics_are_a_404()
    {
        await using var server = await TestServer.StartAsync("[metrics]\nenabled = false");
        using var client = server.Client();
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NotFound", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("[metrics]\ntoken = \"short\"", "metrics.token", "shorter than 16 characters")]
    [InlineData("[metrics]\npath = \"/m\"", "metrics.path", "unknown key (metrics takes enabled and token)")]
    [InlineData("[metrics]\nenabled = \"yes\"", "metrics.enabled", "")]
    public void A_bad_metrics_section_is_a_config_error_naming_the_key(string toml, string key, string message)
    {
        var error = Assert.Throws<Vega.Lite.Config.ConfigException>(() => Vega.Lite.Config.ConfigReader.Read(
            toml + "\n[database]\nurl = \"sqlite:///tmp/x.db\"\n[storage]\ntype = \"local\"\npath = \"/tmp/storage\"\n[jwt.signing]\ntoken-hs256-secret-base64 = \"c2VjcmV0\"", "test.toml", _ => null));
        Assert.Contains(key, error.Message);
        Assert.Contains(message, error.Message);
    }
}
