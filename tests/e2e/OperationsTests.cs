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
}
