using System.Net;
using System.Security.Cryptography;
using Vega.Lite.Core.Nix;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// Plain Nix against the published binary: push a closure with <c>nix copy --to http://…</c> (netrc Basic auth),
/// substitute it into a fresh store trusting only the cache's key, and compare what arrived with what was sent.
/// </summary>
public sealed class NixCopyTests : IAsyncLifetime
{
    private VegaLiteProcess _server = null!;
    private readonly NixEnvironment _nix = new();
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await VegaLiteProcess.StartAsync();
        _token = await _server.MakeTokenAsync("--pull", "*", "--push", "*", "--create-cache", "*");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _nix.Dispose();
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("xz")]
    [InlineData("none")]
    public async Task A_closure_pushed_with_nix_copy_is_substituted_with_signatures_checked(string compression)
    {
        var cache = "copy-" + compression;
        using var api = new CacheApi(_server.BaseUrl, _token);
        await api.CreateCacheAsync(cache);
        var publicKey = await api.PublicKeyAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 300_000);
        Assert.Equal(3, closure.Paths.Count);

        _nix.SetToken(_token);
        var push = await _nix.RunAsync("nix", ["copy", "--to", $"{_server.BaseUrl}/{cache}?compression={compression}", closure.Top]);
        Assert.True(push.ExitCode == 0, push.Describe("nix copy --to") + "\n--- server\n" + _server.Log);

        var store = Path.Combine(_nix.Directory, "pulled-" + compression);
        var pull = await _nix.RunAsync("nix",
            ["copy", "--from", $"{_server.BaseUrl}/{cache}", "--to", store, closure.Top],
            "require-sigs = true", $"trusted-public-keys = {publicKey}");
        Assert.True(pull.ExitCode == 0, pull.Describe("nix copy --from") + "\n--- server\n" + _server.Log);

        foreach (var path in closure.Paths)
        {
            Assert.Equal(Nars.HashOf(path), Nars.HashOf(store + path));
        }
    }

    [Fact]
    public async Task Substitution_fails_when_only_another_key_is_trusted()
    {
        const string cache = "wrong-key";
        using var api = new CacheApi(_server.BaseUrl, _token);
        await api.CreateCacheAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix);
        _nix.SetToken(_token);
        var push = await _nix.RunAsync("nix", ["copy", "--to", $"{_server.BaseUrl}/{cache}?compression=zstd", closure.Top]);
        Assert.True(push.ExitCode == 0, push.Describe("nix copy --to"));

        var store = Path.Combine(_nix.Directory, "untrusted");
        var pull = await _nix.RunAsync("nix",
            ["copy", "--from", $"{_server.BaseUrl}/{cache}", "--to", store, closure.Top],
            "require-sigs = true", "trusted-public-keys = other:9ZkNS1kL0doqkHmK5++Js4gvRB9laqqidUmzTcVfj6A=");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("signature", pull.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_push_with_a_wrong_token_is_refused_and_leaves_nothing_visible()
    {
        const string cache = "wrong-token";
        using var api = new CacheApi(_server.BaseUrl, _token);
        await api.CreateCacheAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix);
        var readOnly = await _server.MakeTokenAsync("--pull", cache);

        foreach (var token in new[] { "not-a-jwt", readOnly, ForgedToken() })
        {
            _nix.SetToken(token);
            var push = await _nix.RunAsync("nix", ["copy", "--to", $"{_server.BaseUrl}/{cache}?compression=zstd", closure.Top]);
            Assert.NotEqual(0, push.ExitCode);
        }
        foreach (var path in closure.Paths)
        {
            using var response = await api.GetAsync($"{cache}/{HashPart(path)}.narinfo");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_NAR_whose_bytes_do_not_match_its_narinfo_is_refused_and_nothing_becomes_visible()
    {
        const string cache = "bad-hash";
        using var api = new CacheApi(_server.BaseUrl, _token);
        await api.CreateCacheAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix);
        var leaf = closure.Paths.First(p => p.Contains("vega-leaf-"));
        var nar = Nars.Dump(leaf);

        // A NAR file whose name is not its hash.
        var wrongName = Nix32.Encode(SHA256.HashData("something else"u8)) + ".nar";
        using (var response = await api.PutAsync($"{cache}/nar/{wrongName}", nar, "application/x-nix-nar"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("SHA-256", await response.Content.ReadAsStringAsync());
        }

        // A correct NAR file, then a narinfo claiming another NarHash for it.
        var fileName = Nix32.Encode(SHA256.HashData(nar)) + ".nar";
        using (var response = await api.PutAsync($"{cache}/nar/{fileName}", nar, "application/x-nix-nar"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var lying = $"StorePath: {leaf}\nURL: nar/{fileName}\nCompression: none\nNarHash: sha256:{Nix32.Encode(SHA256.HashData("x"u8))}\nNarSize: {nar.Length}\nReferences: \n";
        using (var response = await api.PutAsync($"{cache}/{HashPart(leaf)}.narinfo", System.Text.Encoding.UTF8.GetBytes(lying), "text/x-nix-narinfo"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("do not match", await response.Content.ReadAsStringAsync());
        }
        using (var response = await api.GetAsync($"{cache}/{HashPart(leaf)}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private static string HashPart(string storePath) => Path.GetFileName(storePath)[..32];

    /// <summary>A well-formed token signed with a key the server does not have.</summary>
    private static string ForgedToken()
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var claims = B64("""{"sub":"mallory","https://jwt.attic.rs/v1":{"caches":{"*":{"r":1,"w":1}}}}"""u8.ToArray());
        var signature = B64(HMACSHA256.HashData("not the server's key"u8, System.Text.Encoding.ASCII.GetBytes(header + "." + claims)));
        return $"{header}.{claims}.{signature}";
    }
}
