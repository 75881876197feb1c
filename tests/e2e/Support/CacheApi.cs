using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vega.Lite.E2E.Support;

/// <summary>The few Attic API calls the end-to-end tests make, sent as the attic client sends them.</summary>
public sealed class CacheApi(string baseUrl, string? token) : IDisposable
{
    private readonly HttpClient _client = Client(baseUrl, token);

    public static HttpClient Client(string baseUrl, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + token);
        }
        return client;
    }

    public async Task CreateCacheAsync(string name, bool isPublic = false)
    {
        var body = $$"""{"keypair":"Generate","is_public":{{(isPublic ? "true" : "false")}},"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":["cache.nixos.org-1"]}""";
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _client.PostAsync($"_api/v1/cache-config/{name}", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"create {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<string> PublicKeyAsync(string name)
    {
        using var response = await _client.GetAsync($"_api/v1/cache-config/{name}");
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"cache-config {name}: {(int)response.StatusCode} {text}");
        }
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("public_key").GetString()!;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public Task<HttpResponseMessage> PutAsync(string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return _client.PutAsync(path, content);
    }

    public void Dispose() => _client.Dispose();
}
