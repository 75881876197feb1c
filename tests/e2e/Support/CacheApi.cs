using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
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

    /// <summary>The <c>X-Attic-Nar-Info</c> header of an upload-path of this NAR, with no references or signatures.</summary>
    public static string NarInfoHeader(string cache, string storePath, byte[] nar) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["cache"] = cache,
        ["store_path_hash"] = Path.GetFileName(storePath)[..32],
        ["store_path"] = storePath,
        ["references"] = Array.Empty<string>(),
        ["system"] = null,
        ["deriver"] = null,
        ["sigs"] = Array.Empty<string>(),
        ["ca"] = null,
        ["nar_hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(nar)),
        ["nar_size"] = nar.Length,
    });

    /// <summary>PUT /_api/v1/upload-path as the attic client sends it, the info in the header; the answer's <c>kind</c>.</summary>
    public static async Task<string> UploadPathAsync(HttpClient client, string cache, string storePath, byte[] nar)
    {
        var info = NarInfoHeader(cache, storePath, nar);
        using var request = new HttpRequestMessage(HttpMethod.Put, "_api/v1/upload-path") { Content = new ByteArrayContent(nar) };
        request.Headers.Add("X-Attic-Nar-Info", info);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload-path: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("kind").GetString()!;
    }

    /// <summary>The status of a GET of <paramref name="path"/>.</summary>
    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>The status of a GET of <paramref name="path"/> once it is <paramref name="expected"/>, or after 5 s of asking.</summary>
    public static async Task<HttpStatusCode> WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        HttpStatusCode status;
        while ((status = await StatusAsync(client, path)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return status;
    }

    public void Dispose() => _client.Dispose();
}
