using System.Text.Json;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Tests.Api;

/// <summary><c>PATCH</c> and <c>DELETE /_api/v1/cache-config/{cache}</c> (docs/attic-api.md §3.5.3, §3.5.4).</summary>
public sealed class CacheConfigureTests : IAsyncLifetime
{
    private static readonly CachePermission Configure = CachePermission.None with { ConfigureCache = true };
    private static readonly CachePermission ConfigureWithRetention = Configure with { ConfigureCacheRetention = true };

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("conf");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task<HttpResponseMessage> Patch(HttpClient client, string cache, string json) =>
        client.PatchAsync($"/_api/v1/cache-config/{cache}", TestServer.Json(json));

    private async Task<JsonElement> Config(string cache)
    {
        using var client = _server.Client(_server.RootToken);
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/_api/v1/cache-config/{cache}"));
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Configure_public_as_the_client_sends_it_needs_no_cq_while_retention_stays_global()
    {
        using var client = _server.Client(_server.Token(("conf", Configure)));
        using (var response = await Patch(client, "conf", """{"is_public":true,"retention_period":"Global"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
        Assert.True((await Config("conf")).GetProperty("is_public").GetBoolean());
        using var anonymous = _server.Client();
        using var info = await anonymous.GetAsync("/conf/nix-cache-info");
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        Assert.Equal("public", info.Headers.GetValues("X-Attic-Cache-Visibility").Single());
    }

    [Fact]
    public async Task Changing_the_retention_period_needs_cq_and_is_then_403_not_401()
    {
        using (var withoutCq = _server.Client(_server.Token(("conf", Configure))))
        {
            using var response = await Patch(withoutCq, "conf", """{"retention_period":{"Period":60}}""");
            await Expect.Error(response, 403, "AccessError");
        }
        using (var withCq = _server.Client(_server.Token(("conf", ConfigureWithRetention))))
        {
            using var response = await Patch(withCq, "conf", """{"retention_period":{"Period":60}}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(60, (await Config("conf")).GetProperty("retention_period").GetProperty("Period").GetInt64());
        using (var withoutCq = _server.Client(_server.Token(("conf", Configure))))
        {
            using var response = await Patch(withoutCq, "conf", """{"priority":30,"retention_period":"Global"}""");
            await Expect.Error(response, 403, "AccessError"); // back to Global is a change now
        }
        using (var withCq = _server.Client(_server.Token(("conf", ConfigureWithRetention))))
        {
            using var response = await Patch(withCq, "conf", """{"retention_period":"Global"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("Global", (await Config("conf")).GetProperty("retention_period").GetString());
    }

    [Fact]
    public async Task Every_field_Attic_acts_on_is_applied_and_the_endpoints_are_ignored()
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await Patch(client, "conf",
            """{"is_public":true,"store_dir":"/gnu/store","priority":10,"upstream_cache_key_names":["a-1","b-2"],"retention_period":{"Period":3600},"api_endpoint":"http://ignored/","public_key":"ignored"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = await Config("conf");
        Assert.True(config.GetProperty("is_public").GetBoolean());
        Assert.Equal("/gnu/store", config.GetProperty("store_dir").GetString());
        Assert.Equal(10, config.GetProperty("priority").GetInt32());
        Assert.Equal(["a-1", "b-2"], config.GetProperty("upstream_cache_key_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3600, config.GetProperty("retention_period").GetProperty("Period").GetInt64());
        Assert.StartsWith($"http://{_server.Address.Authority}/", config.GetProperty("api_endpoint").GetString());
        Assert.Equal("WantMassQuery: 1\nStoreDir: /gnu/store\nPriority: 10\n", await client.GetStringAsync("/conf/nix-cache-info"));
    }

    [Fact]
    public async Task A_new_keypair_signs_the_narinfos_served_from_then_on()
    {
        var nar = TestNar.File("signed", "by whichever key is current");
        using var client = _server.Client(_server.RootToken);
        (await AtticUploads.Upload(client, "conf", nar)).Dispose();
        var before = await Served.SignedNarInfo(client, "conf", nar.Hash);
        var oldKey = (await Config("conf")).GetProperty("public_key").GetString();
        using (var response = await Patch(client, "conf", """{"keypair":"Generate","retention_period":"Global"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var newKey = (await Config("conf")).GetProperty("public_key").GetString();
        Assert.NotEqual(oldKey, newKey);
        Assert.StartsWith("conf:", newKey);
        var after = await Served.SignedNarInfo(client, "conf", nar.Hash); // verifies against the new public key
        Assert.NotEqual(before.Sigs.Single(), after.Sigs.Single());

        var supplied = Vega.Lite.Core.Nix.NixKeypair.Generate("pinned-1");
        using (var response = await Patch(client, "conf", $$$"""{"keypair":{"Keypair":"{{{supplied.ToSecretKeyString()}}}"}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(supplied.PublicKey.ToString(), (await Config("conf")).GetProperty("public_key").GetString());
        await Served.SignedNarInfo(client, "conf", nar.Hash);
    }

    [Theory]
    [InlineData("""{}""", "No modifiable fields were set.")]
    [InlineData("""{"substituter_endpoint":"http://x/","api_endpoint":"http://x/","public_key":"k:x","unknown":1}""", "No modifiable fields were set.")]
    [InlineData("""{"retention_period":{"Period":2147483648}}""", "Invalid retention period")]
    [InlineData("""{"keypair":{"Keypair":"not-a-key"}}""", "keypair")]
    public async Task A_configure_that_changes_nothing_valid_is_a_400(string body, string message)
    {
        using var client = _server.Client(_server.RootToken);
        using var response = await Patch(client, "conf", body);
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Configure_follows_the_discovery_rules()
    {
        using (var reader = _server.Client(_server.Token(("conf", TestServer.PullOnly))))
        {
            using var response = await Patch(reader, "conf", """{"priority":1}""");
            await Expect.Error(response, 403, "AccessError");
        }
        using (var anonymous = _server.Client())
        {
            using var response = await Patch(anonymous, "conf", """{"priority":1}""");
            await Expect.Error(response, 401, "Unauthorized");
        }
        using (var root = _server.Client(_server.RootToken))
        {
            using var response = await Patch(root, "absent", """{"priority":1}""");
            await Expect.Error(response, 404, "NoSuchCache");
        }
    }

    [Fact]
    public async Task Destroy_needs_cd_answers_an_empty_200_and_the_cache_and_its_paths_are_gone()
    {
        var nar = TestNar.File("doomed", "x");
        using var root = _server.Client(_server.RootToken);
        (await AtticUploads.Upload(root, "conf", nar)).Dispose();
        using (var configurer = _server.Client(_server.Token(("conf", Configure))))
        {
            using var response = await configurer.DeleteAsync("/_api/v1/cache-config/conf");
            await Expect.Error(response, 403, "AccessError");
        }
        using (var response = await root.DeleteAsync("/_api/v1/cache-config/conf"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
        using (var info = await root.GetAsync("/_api/v1/cache-config/conf"))
        {
            await Expect.Error(info, 404, "NoSuchCache");
        }
        using (var narinfo = await root.GetAsync($"/conf/{nar.Hash}.narinfo"))
        {
            await Expect.Error(narinfo, 404, "NoSuchObject");
        }
        using (var again = await root.DeleteAsync("/_api/v1/cache-config/conf"))
        {
            await Expect.Error(again, 404, "NoSuchCache");
        }
        await _server.CreateCacheAsync("conf"); // a hard-deleted name can be used again
    }

    [Fact]
    public async Task A_soft_deleted_cache_is_gone_but_its_name_stays_taken()
    {
        await using var server = await TestServer.StartAsync("soft-delete-caches = true");
        await server.CreateCacheAsync("soft");
        using var root = server.Client(server.RootToken);
        using (var response = await root.DeleteAsync("/_api/v1/cache-config/soft"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var info = await root.GetAsync("/soft/nix-cache-info"))
        {
            await Expect.Error(info, 404, "NoSuchCache");
        }
        using var create = await root.PostAsync("/_api/v1/cache-config/soft", TestServer.Json(
            """{"keypair":"Generate","is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}"""));
        await Expect.Error(create, 400, "CacheAlreadyExists");
    }
}
