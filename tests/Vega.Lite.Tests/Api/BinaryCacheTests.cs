namespace Vega.Lite.Tests.Api;

/// <summary>The read side: nix-cache-info, narinfo and NAR, with Attic's access flows A and C.</summary>
public sealed class BinaryCacheTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private TestNar _nar = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("private");
        await _server.CreateCacheAsync("public", isPublic: true);
        _nar = TestNar.File("served", "served\n");
        using var client = _server.Client(_server.RootToken, basic: true);
        await NixUploads.Upload(client, "private", _nar, "zstd");
        await NixUploads.Upload(client, "public", _nar, "zstd");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Nix_cache_info_has_attics_three_lines()
    {
        using var client = _server.Client(_server.Token(("private", TestServer.PullOnly)), basic: true);
        using var response = await client.GetAsync("/private/nix-cache-info");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/x-nix-cache-info", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("WantMassQuery: 1\nStoreDir: /nix/store\nPriority: 41\n", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Attic-Cache-Visibility"));
    }

    [Theory]
    [InlineData("/public/nix-cache-info")]
    [InlineData("/public/{hash}.narinfo")]
    [InlineData("/public/nar/{hash}.nar")]
    public async Task Public_caches_serve_anyone_and_say_so(string path)
    {
        using var client = _server.Client();
        using var response = await client.GetAsync(path.Replace("{hash}", _nar.Hash));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public", response.Headers.GetValues("X-Attic-Cache-Visibility").Single());
    }

    [Theory]
    [InlineData("/private/nix-cache-info")]
    [InlineData("/private/{hash}.narinfo")]
    [InlineData("/private/nar/{hash}.nar")]
    public async Task Private_caches_refuse_anonymous_and_invalid_tokens_with_401(string path)
    {
        foreach (var client in new[] { _server.Client(), _server.Client("garbage", basic: true), _server.Client(_server.Token(("other", TestServer.PullOnly))) })
        {
            using (client)
            using (var response = await client.GetAsync(path.Replace("{hash}", _nar.Hash)))
            {
                await Expect.Error(response, 401, "Unauthorized");
            }
        }
    }

    [Fact]
    public async Task A_token_with_another_bit_on_the_cache_gets_403()
    {
        using var client = _server.Client(_server.Token(("private", TestServer.PushOnly)));
        using var response = await client.GetAsync($"/private/{_nar.Hash}.narinfo");
        await Expect.Error(response, 403, "AccessError");
    }

    [Fact]
    public async Task A_missing_object_is_404_before_any_authorization_as_in_attic()
    {
        using var client = _server.Client();
        using var response = await client.GetAsync($"/private/{TestNar.RandomHash()}.narinfo");
        await Expect.Error(response, 404, "NoSuchObject");
        using var noCache = await client.GetAsync($"/no-such-cache/{TestNar.RandomHash()}.narinfo");
        await Expect.Error(noCache, 404, "NoSuchObject");
    }

    [Theory]
    [InlineData("/public/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.narinfo")]
    [InlineData("/public/short.narinfo")]
    [InlineData("/public/nar/UPPERCASEUPPERCASEUPPERCASEUPPER.nar")]
    public async Task A_malformed_hash_is_a_400_not_a_500(string path)
    {
        using var client = _server.Client();
        using var response = await client.GetAsync(path);
        await Expect.Error(response, 400, "InvalidStorePathHash");
    }

    [Theory]
    [InlineData("/public/{hash}.ls")]
    [InlineData("/public/{hash}.narinfo.x")]
    [InlineData("/public/{hash}")]
    [InlineData("/public/nar/{hash}.nar.zst")]
    [InlineData("/public/..%2F..%2Fetc%2Fpasswd.narinfo")]
    [InlineData("/public/nar/..%2F..%2Fserver.db")]
    public async Task Other_file_names_are_NotFound(string path)
    {
        using var client = _server.Client();
        using var response = await client.GetAsync(path.Replace("{hash}", _nar.Hash));
        await Expect.Error(response, 404, "NotFound");
    }

    [Fact]
    public async Task Nix_cache_info_of_a_missing_cache_is_401_anonymous_and_404_with_a_matching_pattern()
    {
        using (var anonymous = _server.Client())
        using (var response = await anonymous.GetAsync("/ghost/nix-cache-info"))
        {
            await Expect.Error(response, 401, "Unauthorized");
        }
        using var client = _server.Client(_server.Token(("gh*", TestServer.PullOnly)));
        using var found = await client.GetAsync("/ghost/nix-cache-info");
        await Expect.Error(found, 404, "NoSuchCache");
    }

    [Fact]
    public async Task A_NAR_whose_blob_is_gone_is_a_503_with_a_body_never_a_truncated_200()
    {
        foreach (var file in Directory.EnumerateFiles(_server.StorageDirectory, "*.chunk", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }
        using var client = _server.Client();
        using var response = await client.GetAsync($"/public/nar/{_nar.Hash}.nar");
        await Expect.Error(response, 503, "IncompleteNar");
    }
}
