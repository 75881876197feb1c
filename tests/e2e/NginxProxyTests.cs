using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary behind a real nginx whose <c>location /</c> is the NixOS module's: the shared
/// <c>nixos-module/nginx-proxy.conf</c>, included, plus proxy_pass. Big uploads stream through (attic push and nix copy),
/// pulls substitute with signatures checked, attic use learns nginx's URL and scheme, a slowly read NAR is not spooled to
/// disk, HEAD and Range pass. A site with nothing but proxy_pass shows what the shared directives change: nginx's defaults
/// buffer and refuse the upload, spool the download and hand out the backend's URL.
/// </summary>
public sealed class NginxProxyTests : IAsyncLifetime
{
    /// <summary>Random, so incompressible: the NAR and its zstd file are both well over nginx's 1 MiB default limit.</summary>
    private const int LargePayload = 16 * 1024 * 1024;

    /// <summary>The module's location over plain HTTP.</summary>
    private const string Module = "module";

    /// <summary>The module's location behind TLS, so nginx's <c>$scheme</c> is https.</summary>
    private const string ModuleTls = "module-tls";

    /// <summary>proxy_pass alone: nginx's defaults.</summary>
    private const string Defaults = "defaults";

    private VegaLiteProcess _server = null!;
    private NginxProcess _nginx = null!;
    private readonly NixEnvironment _nix = new();
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await VegaLiteProcess.StartAsync();
        _token = await _server.MakeTokenAsync("--pull", "*", "--push", "*", "--create-cache", "*");
        _nginx = await NginxProcess.StartAsync(
            new NginxSite(Module, NginxProcess.ModuleLocation(_server.Port)),
            new NginxSite(ModuleTls, NginxProcess.ModuleLocation(_server.Port), Tls: true),
            new NginxSite(Defaults, NginxProcess.BareLocation(_server.Port)));
    }

    public async Task DisposeAsync()
    {
        await _nginx.DisposeAsync();
        await _server.DisposeAsync();
        _nix.Dispose();
    }

    [NixFact]
    public async Task A_16_MiB_NAR_pushed_attic_style_through_nginx_streams_through_and_substitutes_with_signatures_checked()
    {
        const string cache = "attic-push";
        var proxy = _nginx.Url(Module);
        using var attic = new AtticClient(_nix, proxy, _token); // attic login with nginx's URL
        await attic.CreateCacheAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix, LargePayload);
        Assert.Equal($"{proxy}/", (await attic.GetCacheConfigAsync(cache)).ApiEndpoint); // else the push would bypass nginx

        var push = await Explained(() => attic.PushAsync(cache, [closure.Top]));
        Assert.Equal(closure.Paths.Count, push.Uploads.Count);

        // The push followed api_endpoint, which named nginx, so the big NAR went through it: chunked, whole, accepted.
        var upload = await _nginx.WaitForRequestAsync(Module,
            r => r is { Method: "PUT", Uri: "/_api/v1/upload-path" } && r.RequestLength > LargePayload, "upload-path PUT of the big NAR");
        Assert.Equal(200, upload.Status);
        Assert.Equal("chunked", upload.TransferEncoding);
        AssertNotBufferedToDisk(Module);

        var use = await attic.UseAsync(cache); // writes the netrc entry for 127.0.0.1 the pull authenticates with
        Assert.Equal($"{proxy}/{cache}", use.Substituter);
        await AssertSubstitutesAsync(closure, use.Substituter, use.PublicKey, "attic");
    }

    [NixFact]
    public async Task A_16_MiB_NAR_pushed_with_nix_copy_through_nginx_streams_through_and_substitutes_with_signatures_checked()
    {
        const string cache = "nix-copy";
        var proxy = _nginx.Url(Module);
        using var api = new CacheApi(proxy, _token);
        await api.CreateCacheAsync(cache);
        var publicKey = await api.PublicKeyAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix, LargePayload);

        _nix.SetToken(_token);
        var push = await _nix.RunAsync("nix", ["copy", "--to", $"{proxy}/{cache}?compression=zstd", closure.Top]);
        Assert.True(push.ExitCode == 0, push.Describe("nix copy --to") + Logs());

        var upload = await _nginx.WaitForRequestAsync(Module,
            r => r.Method == "PUT" && r.Uri.StartsWith($"/{cache}/nar/") && r.RequestLength > LargePayload, "PUT of the big NAR file");
        Assert.Equal(200, upload.Status);
        AssertNotBufferedToDisk(Module);

        await AssertSubstitutesAsync(closure, $"{proxy}/{cache}", publicKey, "nix-copy");
    }

    [NixFact]
    public async Task With_nginxs_defaults_the_same_upload_is_buffered_to_disk_and_refused_with_413()
    {
        const string cache = "defaults";
        using var attic = new AtticClient(_nix, _nginx.Url(Module), _token);
        await attic.CreateCacheAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix, LargePayload);
        var big = Assert.Single(await attic.QueryPathInfosAsync([closure.Paths.Single(p => p.Contains("-vega-tree-"))], noClosure: true));

        // Straight to the defaults site: the client would otherwise follow api_endpoint, which names the backend there.
        var refused = await Assert.ThrowsAsync<AtticApiException>(
            () => attic.UploadPathAsync(new Uri(_nginx.Url(Defaults) + "/"), cache, big, forcePreamble: false));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.Equal([big.Hash], await attic.GetMissingPathsAsync(cache, [big.Hash]));

        // The warning the streaming assertions look for does appear when nginx buffers, so its absence there means something.
        Assert.Contains(NginxProcess.BufferedToFileWarning, _nginx.ErrorLog(Defaults));
    }

    [Fact]
    public async Task Attic_use_through_nginx_gets_nginxs_url_and_scheme_not_the_backends()
    {
        const string cache = "discovery";
        using (var api = new CacheApi(_server.BaseUrl, _token))
        {
            await api.CreateCacheAsync(cache);
        }
        using var client = _nginx.CreateClient(_token);

        // Host with nginx's port, X-Forwarded-Proto from nginx's $scheme.
        var http = await EndpointsAsync(client, _nginx.Url(Module), cache);
        Assert.Equal(($"{_nginx.Url(Module)}/", $"{_nginx.Url(Module)}/{cache}"), http);

        var https = await EndpointsAsync(client, _nginx.Url(ModuleTls), cache);
        Assert.Equal(($"https://127.0.0.1:{_nginx.Port(ModuleTls)}/", $"https://127.0.0.1:{_nginx.Port(ModuleTls)}/{cache}"), https);

        // A client's own X-Forwarded-Proto does not reach the server: nginx replaces it with $scheme.
        Assert.Equal(http, await EndpointsAsync(client, _nginx.Url(Module), cache, forwardedProto: "https"));

        // nginx's defaults send Host: 127.0.0.1:BACKEND and no scheme, so attic use would learn the internal address (Attic #325).
        Assert.Equal(($"{_server.BaseUrl}/", $"{_server.BaseUrl}/{cache}"), await EndpointsAsync(client, _nginx.Url(Defaults), cache));
    }

    [Fact]
    public async Task A_configured_api_endpoint_is_returned_as_is_through_nginx()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: "api-endpoint = \"https://cache.example.org/\"");
        await using var nginx = await NginxProcess.StartAsync(new NginxSite(Module, NginxProcess.ModuleLocation(server.Port)));
        var token = await server.MakeTokenAsync("--pull", "*", "--create-cache", "*");
        using (var api = new CacheApi(server.BaseUrl, token))
        {
            await api.CreateCacheAsync("configured");
        }
        using var client = nginx.CreateClient(token);
        Assert.Equal(("https://cache.example.org/", "https://cache.example.org/configured"),
            await EndpointsAsync(client, nginx.Url(Module), "configured"));
    }

    [NixFact]
    public async Task A_slowly_read_16_MiB_NAR_is_passed_on_not_spooled_to_disk_as_nginxs_defaults_do()
    {
        var narUrl = await PushToBackendAsync("slow-reader", LargePayload);
        using var direct = CacheApi.Client(_server.BaseUrl, _token);
        var whole = await direct.GetByteArrayAsync(narUrl);

        foreach (var site in new[] { Module, Defaults })
        {
            using var client = CacheApi.Client(_nginx.Url(site), _token);
            using var response = await client.GetAsync(narUrl, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The backend sends far faster than this client reads: what nginx cannot hand on meanwhile, it must hold.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var received = await response.Content.ReadAsByteArrayAsync();
            Assert.True(whole.AsSpan().SequenceEqual(received), $"the NAR via {site} differs");
        }

        Assert.False(_nginx.ErrorLog(Module).Contains(NginxProcess.ResponseBufferedToFileWarning), "nginx spooled the NAR to disk\n" + Logs());
        // nginx's default proxy_buffering does spool it, and says so: the check above can see it.
        Assert.Contains(NginxProcess.ResponseBufferedToFileWarning, _nginx.ErrorLog(Defaults));
    }

    [NixFact]
    public async Task HEAD_and_Range_requests_for_a_chunked_NAR_pass_through_nginx_with_the_right_bytes()
    {
        var narUrl = await PushToBackendAsync("ranges", 1024 * 1024); // over the default chunking threshold
        using var direct = CacheApi.Client(_server.BaseUrl, _token);
        using var proxied = CacheApi.Client(_nginx.Url(Module), _token);
        var whole = await direct.GetByteArrayAsync(narUrl);
        Assert.True(whole.Length > 4096, $"the NAR file is only {whole.Length} bytes");

        using (var head = await proxied.SendAsync(new HttpRequestMessage(HttpMethod.Head, narUrl)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(whole.Length, head.Content.Headers.ContentLength);
            Assert.Equal("bytes", string.Join(",", head.Headers.AcceptRanges));
        }

        // A range in the middle, and the open-ended one Nix sends to resume a download.
        foreach (var (from, to) in new[] { (1000L, (long?)3999L), (whole.Length - 100L, (long?)null) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, narUrl);
            request.Headers.Range = new RangeHeaderValue(from, to);
            using var response = await proxied.SendAsync(request);
            var last = to ?? whole.Length - 1;
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal($"bytes {from}-{last}/{whole.Length}", response.Content.Headers.ContentRange?.ToString());
            Assert.Equal(whole[(int)from..(int)(last + 1)], await response.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>Setup, not under test: a closure pushed straight to the backend; the NAR URL of its payload path.</summary>
    private async Task<string> PushToBackendAsync(string cache, int payloadBytes)
    {
        using var attic = new AtticClient(_nix, _server.BaseUrl, _token);
        await attic.CreateCacheAsync(cache);
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes);
        await Explained(() => attic.PushAsync(cache, [closure.Top]));
        var tree = closure.Paths.Single(p => p.Contains("-vega-tree-"));
        using var client = CacheApi.Client(_server.BaseUrl, _token);
        var narinfo = await client.GetStringAsync($"{cache}/{Path.GetFileName(tree)[..32]}.narinfo");
        return $"{cache}/" + narinfo.Split('\n').Single(l => l.StartsWith("URL: "))["URL: ".Length..];
    }

    /// <summary>
    /// <c>nix copy --from</c> through nginx into a fresh store, signatures required and only the cache's key trusted;
    /// every path must arrive with the NAR it was pushed with.
    /// </summary>
    private async Task AssertSubstitutesAsync(TestClosure closure, string substituter, string publicKey, string label)
    {
        var store = Path.Combine(_nix.Directory, "pulled-" + label);
        var pull = await _nix.RunAsync("nix", ["copy", "--from", substituter, "--to", store, closure.Top],
            "require-sigs = true", $"trusted-public-keys = {publicKey}");
        Assert.True(pull.ExitCode == 0, pull.Describe("nix copy --from") + Logs());
        foreach (var path in closure.Paths)
        {
            Assert.Equal(Nars.HashOf(path), Nars.HashOf(store + path));
        }
    }

    /// <summary>nginx writes this warning whenever a request body goes to a temporary file instead of straight upstream.</summary>
    private void AssertNotBufferedToDisk(string site) =>
        Assert.False(_nginx.ErrorLog(site).Contains(NginxProcess.BufferedToFileWarning), "nginx buffered a body to disk\n" + Logs());

    /// <summary>GET cache-config through <paramref name="url"/>: the api_endpoint and substituter_endpoint the server answered.</summary>
    private static async Task<(string Api, string Substituter)> EndpointsAsync(HttpClient client, string url, string cache, string? forwardedProto = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/_api/v1/cache-config/{cache}");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"cache-config via {url}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("api_endpoint").GetString()!, json.RootElement.GetProperty("substituter_endpoint").GetString()!);
    }

    private string Logs() => $"\n{_nginx.Describe()}\n--- server\n{_server.Log}";

    /// <summary>Runs a client call, adding nginx's and the server's logs to the message when it fails.</summary>
    private async Task<T> Explained<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is AtticApiException or HttpRequestException)
        {
            throw new InvalidOperationException(e.Message + Logs(), e);
        }
    }
}
