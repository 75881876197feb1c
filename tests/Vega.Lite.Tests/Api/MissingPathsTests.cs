using System.Text.Json;

namespace Vega.Lite.Tests.Api;

/// <summary><c>POST /_api/v1/get-missing-paths</c> (docs/attic-api.md §3.5.5).</summary>
public sealed class MissingPathsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("have");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Body(string cache, IEnumerable<string> hashes) =>
        $$"""{"cache":"{{cache}}","store_path_hashes":[{{string.Join(',', hashes.Select(h => $"\"{h}\""))}}]}""";

    private static async Task<string[]> Missing(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(["missing_paths"], json.RootElement.EnumerateObject().Select(p => p.Name));
        return json.RootElement.GetProperty("missing_paths").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    [Fact]
    public async Task Answers_the_hashes_the_cache_lacks_once_each_in_request_order()
    {
        var pushed = TestNar.File("pushed", "here");
        using var client = _server.Client(_server.RootToken);
        (await AtticUploads.Upload(client, "have", pushed)).Dispose();
        var absent1 = TestNar.RandomHash();
        var absent2 = TestNar.RandomHash();
        using var response = await client.PostAsync("/_api/v1/get-missing-paths",
            TestServer.Json(Body("have", [absent1, pushed.Hash, absent2, absent1, pushed.Hash])));
        Assert.Equal([absent1, absent2], await Missing(response));
    }

    [Theory]
    [InlineData("[null]")]
    [InlineData("[\"0123456789abcdfghijklmnpqrsvwxyz\",null]")]
    public async Task A_null_hash_is_a_422_like_any_other_invalid_hash(string hashes)
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await client.PostAsync("/_api/v1/get-missing-paths",
            TestServer.Json($$"""{"cache":"have","store_path_hashes":{{hashes}}}"""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains("null is not a store path hash", text);
    }

    [Fact]
    public async Task Takes_fifty_thousand_hashes_in_one_call()
    {
        var pushed = TestNar.File("one", "of many");
        using var client = _server.Client(_server.RootToken);
        (await AtticUploads.Upload(client, "have", pushed)).Dispose();
        var hashes = Enumerable.Range(0, 50_000).Select(_ => TestNar.RandomHash()).Append(pushed.Hash).ToList();
        using var response = await client.PostAsync("/_api/v1/get-missing-paths", TestServer.Json(Body("have", hashes)));
        var missing = await Missing(response);
        Assert.Equal(hashes.Distinct().Count() - 1, missing.Length);
        Assert.DoesNotContain(pushed.Hash, missing);
    }

    [Fact]
    public async Task Needs_push_and_follows_the_discovery_rules()
    {
        var body = Body("have", [TestNar.RandomHash()]);
        using (var reader = _server.Client(_server.Token(("have", TestServer.PullOnly))))
        {
            using var response = await reader.PostAsync("/_api/v1/get-missing-paths", TestServer.Json(body));
            await Expect.Error(response, 403, "AccessError");
        }
        using (var anonymous = _server.Client())
        {
            using var response = await anonymous.PostAsync("/_api/v1/get-missing-paths", TestServer.Json(body));
            await Expect.Error(response, 401, "Unauthorized");
        }
        using (var pusher = _server.Client(_server.Token(("*", TestServer.PushOnly))))
        {
            using var response = await pusher.PostAsync("/_api/v1/get-missing-paths", TestServer.Json(Body("absent", [TestNar.RandomHash()])));
            await Expect.Error(response, 404, "NoSuchCache");
        }
    }

    [Theory]
    [InlineData("""{"cache":"have","store_path_hashes":["eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"]}""", 422)]
    [InlineData("""{"cache":"Bad Name","store_path_hashes":[]}""", 422)]
    [InlineData("""{"cache":"have"}""", 422)]
    [InlineData("""{"cache":"have","store_path_hashes":null}""", 422)]
    [InlineData("""{"cache":"have",""", 400)]
    public async Task A_bad_body_is_rejected_as_axum_does(string body, int status)
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await client.PostAsync("/_api/v1/get-missing-paths", TestServer.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_without_the_JSON_content_type_is_415()
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await client.PostAsync("/_api/v1/get-missing-paths", new StringContent(Body("have", [])));
        Assert.Equal(415, (int)response.StatusCode);
    }
}
