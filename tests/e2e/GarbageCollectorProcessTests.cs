using System.Net;
using System.Security.Cryptography;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// <c>--mode garbage-collector-once</c> of the published binary beside its running server on SQLite: paths the other
/// process expires stop being served within about a second, though the server held their narinfo (issue 15, item 3).
/// </summary>
public sealed class GarbageCollectorProcessTests
{
    [Fact]
    public async Task Paths_a_collector_in_another_process_expires_stop_being_served()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: "[garbage-collection]\ndefault-retention-period = \"1s\"");
        var token = await server.MakeTokenAsync("--push", "*", "--pull", "*", "--create-cache", "*");
        using (var api = new CacheApi(server.BaseUrl, token))
        {
            await api.CreateCacheAsync("expiring");
        }
        using var http = CacheApi.Client(server.BaseUrl, token);
        var file = Path.Combine(server.Directory, "payload");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(5000));
        const string hash = "0123456789abcdfghijklmnpqrsvwxyz";
        Assert.Equal("Uploaded", await CacheApi.UploadPathAsync(http, "expiring", $"/nix/store/{hash}-payload", Nars.Dump(file)));
        Assert.Equal(HttpStatusCode.OK, await CacheApi.StatusAsync(http, $"expiring/{hash}.narinfo")); // held in memory from here on
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        Assert.Contains("Garbage collection done: 1 objects, 1 NARs", await server.CollectGarbageAsync());

        Assert.Equal(HttpStatusCode.NotFound, await CacheApi.WaitForStatusAsync(http, $"expiring/{hash}.narinfo", HttpStatusCode.NotFound));
    }
}
