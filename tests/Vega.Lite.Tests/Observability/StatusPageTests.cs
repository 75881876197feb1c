using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Vega.Lite.Gc;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Observability;

/// <summary>
/// The status page at <c>/</c> (issue 19, item 3) as HTML: which caches it shows to whom, its figures against the
/// database's, the token form and its cookie, GC history. tests/e2e/StatusPageBrowserTests.cs renders it in Chromium.
/// </summary>
public sealed partial class StatusPageTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("open", isPublic: true);
        await _server.CreateCacheAsync("closed");
        await _server.CreateCacheAsync("other");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> PageAsync(HttpClient client, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync("/");
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    private static string[] Caches(string html) => CacheSection().Matches(html).Select(m => m.Groups[1].Value).ToArray();

    private static string Figure(string html, string cache, string metric)
    {
        var section = html[html.IndexOf($"id=\"cache-{cache}\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        return Regex.Match(section, $"data-metric=\"{metric}\" data-value=\"([^\"]*)\"").Groups[1].Value;
    }

    [Fact]
    public async Task A_stranger_sees_the_public_caches_and_a_token_adds_the_private_ones_it_may_pull()
    {
        using var anonymous = _server.Client();
        var page = await PageAsync(anonymous);
        Assert.Equal(["open"], Caches(page));
        Assert.DoesNotContain("closed", page);
        Assert.Contains("<form method=\"post\" action=\"/\">", page);
        Assert.DoesNotContain("<script", page);

        using var narrow = _server.Client(_server.Token("alice", ("closed", TestServer.PullOnly)));
        var mine = await PageAsync(narrow);
        Assert.Equal(["closed", "open"], Caches(mine));
        Assert.Contains("token <strong>alice</strong>", mine);

        using var pushOnly = _server.Client(_server.Token(("other", TestServer.PushOnly)));
        Assert.Equal(["open"], Caches(await PageAsync(pushOnly)));
    }

    [Fact]
    public async Task Its_figures_are_the_databases_and_the_nix_conf_lines_name_the_substituter_and_key()
    {
        using var root = _server.Client(_server.RootToken);
        var first = TestNar.File("first", TestNar.RandomBytes(200_000, 1));
        var second = TestNar.File("second", "a small one");
        foreach (var nar in new[] { first, second })
        {
            using var upload = await AtticUploads.Upload(root, "open", nar);
            await AtticUploads.ReadResult(upload);
        }
        var page = await PageAsync(_server.Client());
        var usage = (await _server.Services.GetRequiredService<MetadataStore>().GetCacheUsageAsync(CancellationToken.None))
            .Single(c => c.Cache.Name == "open");
        Assert.Equal("2", Figure(page, "open", "objects"));
        Assert.Equal((first.Nar.Length + second.Nar.Length).ToString(), Figure(page, "open", "nar-bytes"));
        Assert.Equal(usage.Usage.StoredBytes.ToString(), Figure(page, "open", "stored-bytes"));
        Assert.Equal(usage.Usage.LastPush.ToString(), Figure(page, "open", "last-push"));
        Assert.InRange(long.Parse(Figure(page, "open", "last-push")), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var key = await Served.PublicKey(_server.Client(), "open");
        Assert.Contains($"extra-substituters = {_server.Address}open\nextra-trusted-public-keys = {key}", page);
        // Today's bar of the pushes chart counts both paths.
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd");
        Assert.Matches($"data-day=\"{today}\" data-value=\"2\"", page);
    }

    [Fact]
    public async Task The_form_keeps_a_valid_token_in_a_strict_cookie_refuses_a_bad_one_and_forgets_on_request()
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var browser = new HttpClient(handler) { BaseAddress = _server.Address };
        var token = _server.Token("bob", ("closed", TestServer.PullOnly));

        using var remembered = await browser.PostAsync("/", new FormUrlEncodedContent([KeyValuePair.Create("token", token)]));
        Assert.Equal(HttpStatusCode.Redirect, remembered.StatusCode);
        Assert.Equal("/", remembered.Headers.Location!.ToString());
        var cookie = Assert.Single(remembered.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"vega_lite_token={token};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            request.Headers.Add("Cookie", $"vega_lite_token={token}");
            using var page = await browser.SendAsync(request);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(["closed", "open"], Caches(html));
            Assert.Contains("id=\"forget\"", html);
        }
        // The cookie is the page's alone: the API does not read it.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/_api/v1/caches"))
        {
            request.Headers.Add("Cookie", $"vega_lite_token={token}");
            using var api = await browser.SendAsync(request);
            Assert.DoesNotContain("closed", await api.Content.ReadAsStringAsync());
        }

        using var refused = await browser.PostAsync("/", new FormUrlEncodedContent([KeyValuePair.Create("token", "not-a-token")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Contains("id=\"token-error\"", await refused.Content.ReadAsStringAsync());

        using var forgotten = await browser.PostAsync("/", new FormUrlEncodedContent([KeyValuePair.Create("forget", "1")]));
        Assert.Equal(HttpStatusCode.Redirect, forgotten.StatusCode);
        Assert.Matches("^vega_lite_token=; expires=Thu, 01 Jan 1970", Assert.Single(forgotten.Headers.GetValues("Set-Cookie")));

        using var json = await browser.PostAsync("/", new StringContent("{}", new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task A_garbage_collection_pass_appears_in_its_history()
    {
        Assert.Contains("No pass has run yet.", await PageAsync(_server.Client()));
        await _server.Services.GetRequiredService<GarbageCollector>().RunOnceAsync(CancellationToken.None);
        var page = await PageAsync(_server.Client());
        Assert.DoesNotContain("No pass has run yet.", page);
        Assert.Matches(@"<tr><td>\d{4}-\d\d-\d\d \d\d:\d\d UTC</td><td>\d+\.\d s</td><td>0</td>", page);
    }

    [GeneratedRegex("<section class=\"cache\" id=\"cache-([^\"]+)\"")]
    private static partial Regex CacheSection();
}
