using System.Net.Http.Headers;
using System.Text;

namespace Vega.Lite.Tests.Support;

/// <summary>Uploads the way `nix copy --to http://…` does them.</summary>
public static class NixUploads
{
    public static Task<HttpResponseMessage> Put(HttpClient client, string path, byte[] body, string type) =>
        Put(client, path, new ByteArrayContent(body), type);

    /// <summary>A PUT of a body streamed as it comes (a <see cref="Body"/> that pauses or fails), chunked.</summary>
    public static Task<HttpResponseMessage> Put(HttpClient client, string path, Stream body, string type)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StreamContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        request.Headers.TransferEncodingChunked = true;
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Put(HttpClient client, string path, HttpContent content, string type)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return client.PutAsync(path, content);
    }

    /// <summary>Uploads like Nix: HEAD the NAR, PUT it, PUT the narinfo.</summary>
    public static async Task Upload(HttpClient client, string cache, TestNar nar, string compression)
    {
        var (file, fileName) = nar.Compressed(compression);
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/{cache}/nar/{fileName}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
        using (var put = await Put(client, $"/{cache}/nar/{fileName}", file, "application/x-nix-nar"))
        {
            Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        }
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/{cache}/nar/{fileName}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }
        using var info = await Put(client, $"/{cache}/{nar.Hash}.narinfo", Encoding.UTF8.GetBytes(nar.NarInfo(fileName, compression)), "text/x-nix-narinfo");
        Assert.True(info.StatusCode == HttpStatusCode.OK, await info.Content.ReadAsStringAsync());
    }
}
