using System.Text.Json;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Tests.Api;

public sealed class CacheConfigTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string CreateBody =
        """{"keypair":"Generate","is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":["cache.nixos.org-1"]}""";

    [Fact]
    public async Task Create_returns_an_empty_200_and_get_returns_attics_keys_in_order()
    {
        using var client = _server.Client(_server.RootToken);
        using (var created = await client.PostAsync("/_api/v1/cache-config/hello", TestServer.Json(CreateBody)))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Equal("", await created.Content.ReadAsStringAsync());
        }
        using var response = await client.GetAsync("/_api/v1/cache-config/hello");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["substituter_endpoint", "api_endpoint", "public_key", "is_public", "store_dir", "priority",
            "upstream_cache_key_names", "retention_period"], keys);
        var root = json.RootElement;
        Assert.Equal($"http://{_server.Address.Authority}/hello", root.GetProperty("substituter_endpoint").GetString());
        Assert.Equal($"http://{_server.Address.Authority}/", root.GetProperty("api_endpoint").GetString());
        Assert.StartsWith("hello:", root.GetProperty("public_key").GetString());
        Assert.True(NixPublicKey.TryParse(root.GetProperty("public_key").GetString(), out _, out _));
        Assert.False(root.GetProperty("is_public").GetBoolean());
        Assert.Equal(41, root.GetProperty("priority").GetInt32());
        Assert.Equal("Global", root.GetProperty("retention_period").GetString());
        Assert.False(root.TryGetProperty("keypair", out _));
    }

    [Fact]
    public async Task The_alias_route_answers_the_same_and_endpoints_follow_X_Forwarded_Proto()
    {
        await _server.CreateCacheAsync("alias");
        using var client = _server.Client(_server.RootToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alias/attic-cache-info");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "cache.example.org";
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://cache.example.org/alias", json.RootElement.GetProperty("substituter_endpoint").GetString());
        Assert.Equal("https://cache.example.org/", json.RootElement.GetProperty("api_endpoint").GetString());
    }

    [Theory]
    [InlineData("/_api/v1/cache-config/heads")]
    [InlineData("/heads/attic-cache-info")]
    [InlineData("/heads/nix-cache-info")]
    [InlineData("/")]
    public async Task HEAD_answers_wherever_GET_does_with_its_status_and_no_body(string path)
    {
        using var client = _server.Client(_server.RootToken);
        (await client.PostAsync("/_api/v1/cache-config/heads", TestServer.Json(CreateBody))).Dispose();
        using var get = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using var anonymous = _server.Client();
        using var denied = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_api/v1/cache-config/heads"));
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    [Fact]
    public async Task A_supplied_keypair_is_used_as_is()
    {
        var keypair = NixKeypair.Generate("custom-key-1");
        await _server.CreateCacheAsync("supplied", keypair: $$"""{"Keypair":"{{keypair.ToSecretKeyString()}}"}""");
        using var client = _server.Client(_server.RootToken);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/_api/v1/cache-config/supplied"));
        Assert.Equal(keypair.PublicKey.ToString(), json.RootElement.GetProperty("public_key").GetString());
    }

    [Fact]
    public async Task Creating_an_existing_cache_is_CacheAlreadyExists()
    {
        await _server.CreateCacheAsync("twice");
        using var client = _server.Client(_server.RootToken);
        using var response = await client.PostAsync("/_api/v1/cache-config/twice", TestServer.Json(CreateBody));
        await Expect.Error(response, 400, "CacheAlreadyExists");
    }

    [Fact]
    public async Task Creating_needs_cc_anonymous_is_401_and_a_token_with_other_bits_403()
    {
        using (var anonymous = _server.Client())
        using (var response = await anonymous.PostAsync("/_api/v1/cache-config/nope", TestServer.Json(CreateBody)))
        {
            await Expect.Error(response, 401, "Unauthorized");
        }
        using (var puller = _server.Client(_server.Token(("nope", TestServer.PullOnly))))
        using (var response = await puller.PostAsync("/_api/v1/cache-config/nope", TestServer.Json(CreateBody)))
        {
            await Expect.Error(response, 403, "AccessError");
        }
        using var creator = _server.Client(_server.Token(("team-*", CachePermission.None with { CreateCache = true })));
        using var ok = await creator.PostAsync("/_api/v1/cache-config/team-a", TestServer.Json(CreateBody));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Get_on_a_missing_cache_is_401_without_bits_and_404_with_a_matching_pattern()
    {
        using (var anonymous = _server.Client())
        using (var response = await anonymous.GetAsync("/_api/v1/cache-config/missing"))
        {
            await Expect.Error(response, 401, "Unauthorized");
        }
        using var client = _server.Client(_server.Token(("miss*", TestServer.PullOnly)));
        using var found = await client.GetAsync("/_api/v1/cache-config/missing");
        await Expect.Error(found, 404, "NoSuchCache");
    }

    [Theory]
    [InlineData("""{"keypair":"Generate","is_public":false}""", 422)]
    [InlineData("""{"keypair":"Make","is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}""", 422)]
    [InlineData("""{"keypair":{"Keypair":"bad"},"is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}""", 422)]
    [InlineData("""{"keypair":"Generate",""", 400)]
    public async Task Bad_create_bodies_are_rejected_with_axums_codes(string body, int status)
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await client.PostAsync("/_api/v1/cache-config/bodies", TestServer.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_without_the_json_content_type_is_415()
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await client.PostAsync("/_api/v1/cache-config/typed", new StringContent(CreateBody));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has%20space")]
    [InlineData("_api")]
    [InlineData("waaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaytoolong")]
    public async Task An_invalid_cache_name_is_a_400_before_any_lookup(string name)
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await client.GetAsync($"/_api/v1/cache-config/{name}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Invalid URL", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_urls_are_attics_json_404_and_wrong_methods_405()
    {
        using var client = _server.Client();
        using (var response = await client.GetAsync("/_api/v1/nothing/here/at/all"))
        {
            await Expect.Error(response, 404, "NotFound");
        }
        using var wrong = await client.DeleteAsync("/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
    }

    [Fact]
    public async Task The_root_page_is_html()
    {
        using var client = _server.Client();
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }
}
