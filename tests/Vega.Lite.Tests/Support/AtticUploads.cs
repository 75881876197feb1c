using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vega.Lite.Tests.Support;

/// <summary>
/// <c>PUT /_api/v1/upload-path</c> as the attic client sends it (attic-api.md §3.4, §5.3): a chunked body with no
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
        var info = Encoding.UTF8.GetBytes(infoJson);
        var request = new HttpRequestMessage(HttpMethod.Put, "/_api/v1/upload-path")
        {
            Content = new StreamContent(new UnseekableStream(preamble ? [.. info, .. body] : body)),
        };
        if (preamble)
        {
            request.Headers.Add("X-Attic-Nar-Info-Preamble-Size", info.Length.ToString());
        }
        else
        {
            request.Headers.Add("X-Attic-Nar-Info", infoJson);
        }
        request.Headers.TransferEncodingChunked = true;
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> ReadResult(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload failed: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>Hides the length, so HttpClient cannot send a Content-Length (the attic client never does).</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
