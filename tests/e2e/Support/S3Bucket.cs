using System.Net;
using System.Xml.Linq;

namespace Vega.Lite.E2E.Support;

/// <summary>
/// The bucket of an s3rver as an outside S3 client sees it, through plain unsigned requests (s3rver serves them;
/// the e2e project has no S3 SDK). Listing uses ListObjects (v1) with <c>marker</c>: s3rver 3.7.1 answers a truncated
/// ListObjectsV2 with InternalError, and a killed 48 MiB push alone leaves hundreds of objects.
/// </summary>
public sealed class S3Bucket(Uri endpoint, string bucket) : IDisposable
{
    private const int PageSize = 200;
    private static readonly XNamespace S3 = "http://doc.s3.amazonaws.com/2006-03-01/";
    private readonly HttpClient _http = new() { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Every key in the bucket, in S3's (lexicographic) order.</summary>
    public async Task<string[]> ListKeysAsync()
    {
        var keys = new List<string>();
        var marker = "";
        while (true)
        {
            var text = await _http.GetStringAsync($"/{bucket}?max-keys={PageSize}&marker={Uri.EscapeDataString(marker)}");
            var root = XDocument.Parse(text).Root ?? throw new InvalidDataException($"empty listing: {text}");
            var page = root.Elements(S3 + "Contents").Select(c => (string)c.Element(S3 + "Key")!).ToArray();
            keys.AddRange(page);
            if ((string?)root.Element(S3 + "IsTruncated") != "true")
            {
                return [.. keys];
            }
            if (page.Length == 0)
            {
                throw new InvalidDataException($"a truncated listing with no keys: {text}");
            }
            marker = page[^1];
        }
    }

    /// <summary>DeleteObject behind the server's back; S3 answers 204 whether or not the key existed.</summary>
    public async Task DeleteAsync(string key)
    {
        using var response = await _http.DeleteAsync($"/{bucket}/{Uri.EscapeDataString(key)}");
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"DELETE {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<bool> ExistsAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/{bucket}/{Uri.EscapeDataString(key)}");
        using var response = await _http.SendAsync(request);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            var status => throw new InvalidOperationException($"HEAD {key}: {(int)status}"),
        };
    }

    public void Dispose() => _http.Dispose();
}
