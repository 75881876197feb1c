using System.Net;
using System.Text.Json;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// <c>--log-format json</c> on the published binary (issue 19, item 6): every line the server logs is one JSON object,
/// and each request is one event carrying its request id, route, status, duration, bytes, cache and token subject.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task Every_line_is_a_JSON_object_and_each_request_one_event_with_its_fields()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraArgs: ["--log-format", "json"]);
        var created = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", server.ConfigPath, "ensure-cache", "logged", "--private"]);
        Assert.True(created.ExitCode == 0, created.Describe("ensure-cache"));
        using var client = CacheApi.Client(server.BaseUrl, await server.MakeTokenAsync("--pull", "logged"));
        var missing = new string('0', 32);
        Assert.Equal(HttpStatusCode.NotFound, await CacheApi.StatusAsync(client, $"logged/{missing}.narinfo"));
        Assert.Equal(HttpStatusCode.OK, await CacheApi.StatusAsync(client, "logged/nix-cache-info"));

        JsonElement? narinfoEvent = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (narinfoEvent is null)
        {
            var lines = server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            foreach (var line in lines)
            {
                using var parsed = JsonDocument.Parse(line); // throws on a line that is not one JSON object
                Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
                Assert.True(parsed.RootElement.TryGetProperty("Timestamp", out _), line);
                if (parsed.RootElement.GetProperty("Category").GetString() == "Vega.Lite.Http.AccessLog"
                    && parsed.RootElement.GetProperty("State").GetProperty("Path").GetString() == $"/logged/{missing}.narinfo")
                {
                    narinfoEvent = parsed.RootElement.GetProperty("State").Clone();
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "no access event for the narinfo request\n" + server.Log);
            await Task.Delay(50);
        }
        var state = narinfoEvent.Value;
        Assert.Equal("GET", state.GetProperty("Method").GetString());
        Assert.Equal("/{cache}/{file}", state.GetProperty("Route").GetString());
        Assert.Equal(404, state.GetProperty("Status").GetInt32());
        Assert.Equal("logged", state.GetProperty("Cache").GetString());
        Assert.Equal("e2e", state.GetProperty("Subject").GetString());
        Assert.False(string.IsNullOrEmpty(state.GetProperty("RequestId").GetString()));
        Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
        Assert.True(state.GetProperty("BytesOut").GetInt64() > 0); // Attic's JSON error body
    }
}
