using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vega.Lite.Tests.Support;

/// <summary>
/// <c>PUT /_api/v1/upload-path</c> as the attic client sends it (docs/attic-api.md §3.4, §5.3): a chunked body with no
/// Content-Length and no Content-Type, the path's metadata in <c>X-Attic-Nar-Info</c> or in a preamble.
/// </summary>
public static class AtticUploads
{
    public static string HexNarHash(byte[] nar) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(nar));

    /// <summary>The UploadPathNarInfo JSON, keys in the client's order.</summary>
    public static string NarInfoJson(string cache, TestNar nar, string? narHash = null, long? narSize = null, int sigs = 0)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("cache", cache);
            json.WriteString("store_path_hash", nar.Hash);
            json.WriteString("store_path", nar.StorePath);
            json.WriteStartArray("references");
            foreach (var reference in nar.References)
            {
                json.WriteStringValue(reference);
            }
            json.WriteEndArray();
            json.WriteNull("system");
            json.WriteNull("deriver");
            json.WriteStartArray("sigs");
            for (var i = 0; i < sigs; i++)
            {
                json.WriteStringValue($"upstream-{i}:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
            }
            json.WriteEndArray();
            json.WriteNull("ca");
            json.WriteString("nar_hash", narHash ?? HexNarHash(nar.Nar));
            json.WriteNumber("nar_size", narSize ?? nar.Nar.Length);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static Task<HttpResponseMessage> Upload(HttpClient client, string cache, TestNar nar, bool preamble = false) =>
        Send(client, NarInfoJson(cache, nar), nar.Nar, preamble);

    /// <summary>Sends <paramref name="body"/> chunked, after the info in a header or a preamble.</summary>
    public static Task<HttpResponseMessage> Send(HttpClient client, string infoJson, byte[] body, bool preamble = false)
    {
        if (!preamble)
        {
            return Send(client, infoJson, new Body(body));
        }
        var info = Encoding.UTF8.GetBytes(infoJson);
        var request = Request(new Body([.. info, .. body]));
        request.Headers.Add("X-Attic-Nar-Info-Preamble-Size", info.Length.ToString());
        return client.SendAsync(request);
    }

    /// <summary>Sends a body streamed as it comes (a <see cref="Body"/> that pauses or fails), the info in the header.</summary>
    public static Task<HttpResponseMessage> Send(HttpClient client, string infoJson, Stream body)
    {
        var request = Request(body);
        request.Headers.Add("X-Attic-Nar-Info", infoJson);
        return client.SendAsync(request);
    }

    private static HttpRequestMessage Request(Stream body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/_api/v1/upload-path") { Content = new StreamContent(body) };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    public static async Task<JsonElement> ReadResult(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload failed: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
