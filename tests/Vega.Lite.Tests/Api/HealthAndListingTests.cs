using System.Text.Json;

namespace Vega.Lite.Tests.Api;

/// <summary><c>/healthz</c>, <c>/readyz</c> and <c>GET /_api/v1/caches</c> (issue 19, items 2 and 5).</summary>
public sealed class HealthAndListingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("open", isPublic: true);
        await _server.CreateCacheAsync("closed");
        await _server.CreateCacheAsync("other");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Healthz_answers_and_readyz_says_whether_the_database_and_storage_do()
    {
        using var client = _server.Client();
        using (var live = await client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("ok\n", await live.Content.ReadAsStringAsync());
        }
        using (var ready = await client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("""{"database":"ok","storage":"ok"}""", await ready.Content.ReadAsStringAsync());
        }

        var version = Path.Combine(_server.StorageDirectory, "VERSION");
        File.Move(version, version + ".away"); // the volume is gone from under the server
        try
        {
            using var notReady = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            using var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
            Assert.Equal("ok", body.RootElement.GetProperty("database").GetString());
            Assert.Contains("VERSION is gone", body.RootElement.GetProperty("storage").GetString());
        }
        finally
        {
            File.Move(version + ".away", version);
        }
    }

    private async Task<string[]> ListedAsync(string? token)
    {
        using var client = _server.Client(token);
        using var response = await client.GetAsync("/_api/v1/caches");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
    }

    [Fact]
    public async Task The_caches_a_caller_may_read_are_listed_each_as_its_cache_config()
    {
        Assert.Equal(["open"], await ListedAsync(null));
        Assert.Equal(["open"], await ListedAsync("not-a-token"));
        Assert.Equal(["closed", "open"], await ListedAsync(_server.Token(("closed", TestServer.PullOnly))));
        Assert.Equal(["open"], await ListedAsync(_server.Token(("closed", TestServer.PushOnly)))); // pushing is not reading
        Assert.Equal(["closed", "open", "other"], await ListedAsync(_server.RootToken));

        using var root = _server.Client(_server.RootToken);
        using var listing = JsonDocument.Parse(await root.GetStringAsync("/_api/v1/caches"));
        foreach (var cache in listing.RootElement.EnumerateObject())
        {
            var single = await root.GetStringAsync($"/_api/v1/cache-config/{cache.Name}");
            Assert.Equal(single, cache.Value.GetRawText());
        }

        using (var destroy = await root.DeleteAsync("/_api/v1/cache-config/other"))
        {
            Assert.Equal(HttpStatusCode.OK, destroy.StatusCode);
        }
        Assert.Equal(["closed", "open"], await ListedAsync(_server.RootToken));
    }

    [Fact]
    public async Task The_cache_list_counts_each_caches_paths_and_NAR_bytes()
    {
        using var root = _server.Client(_server.RootToken);
        var first = TestNar.File("first", "some bytes");
        var second = TestNar.File("second", "some other bytes");
        foreach (var nar in new[] { first, second })
        {
            using var response = await AtticUploads.Upload(root, "closed", nar);
            await AtticUploads.ReadResult(response);
        }
        var metadata = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Vega.Lite.Metadata.MetadataStore>(_server.Services);
        var listed = (await metadata.GetCacheUsageAsync(CancellationToken.None)).ToDictionary(c => c.Cache.Name, c => (c.Usage.Objects, c.Usage.NarBytes));
        Assert.Equal((2L, (long)(first.Nar.Length + second.Nar.Length)), listed["closed"]);
        Assert.Equal((0L, 0L), listed["open"]);
    }
}
