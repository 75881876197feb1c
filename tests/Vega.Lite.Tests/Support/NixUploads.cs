using System.Net.Http.Headers;
using System.Text;

namespace Vega.Lite.Tests.Support;

/// <summary>Uploads the way `nix copy --to http://…` does them.</summary>
public static class NixUploads
{
    public static async Task<HttpResponseMessage> Put(HttpClient client, string path, byte[] body, string type)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return await client.PutAsync(path, content);
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
