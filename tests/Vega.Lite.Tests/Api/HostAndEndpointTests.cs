using System.Text.Json;

namespace Vega.Lite.Tests.Api;

/// <summary>allowed-hosts, and the configured api-endpoint / substituter-endpoint that `attic use` writes behind a proxy.</summary>
public sealed class HostAndEndpointTests
{
    [Fact]
    public async Task With_allowed_hosts_any_other_host_is_Bad_Host()
    {
        await using var server = await TestServer.StartAsync("allowed-hosts = [\"cache.example.org\"]");
        using var client = server.Client();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            request.Headers.Host = "cache.example.org";
            using var allowed = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var other = await client.GetAsync("/");
        await Expect.Error(other, 400, "RequestError");
        Assert.Contains("Bad Host", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Configured_endpoints_win_over_the_host_header()
    {
        await using var server = await TestServer.StartAsync(
            "api-endpoint = \"https://api.example.org/\"\nsubstituter-endpoint = \"https://cdn.example.org/\"");
        await server.CreateCacheAsync("proxied");
        using var client = server.Client(server.RootToken);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/_api/v1/cache-config/proxied"));
        Assert.Equal("https://api.example.org/", json.RootElement.GetProperty("api_endpoint").GetString());
        Assert.Equal("https://cdn.example.org/proxied", json.RootElement.GetProperty("substituter_endpoint").GetString());
    }
}
