using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Vega.Lite.Storage;

namespace Vega.Lite.Tests.Storage.S3;

/// <summary>The whole server with <c>[storage] type = "s3"</c> against a real s3rver: pushes land in the bucket and are served back.</summary>
public sealed class S3StorageTests : IAsyncLifetime
{
    private const string Unchunked = "[chunking]\nnar-size-threshold = 0\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";
    private const string Chunked = "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    private S3rver _s3 = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3rver.StartAsync();
        // Whole NARs here, so a big one takes the multipart path; chunked NARs in S3 have a test of their own.
        _server = await TestServer.StartAsync(Unchunked, storageToml: _s3.StorageToml);
        await _server.CreateCacheAsync("s3");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task Attic_and_nix_uploads_land_in_the_bucket_and_are_served_back_identical()
    {
        var small = TestNar.File("small", "stored with one PutObject");
        var big = TestNar.File("big", RandomNumberGenerator.GetBytes(12 * 1024 * 1024)); // random: stays > 8 MiB compressed
        var copied = TestNar.File("copied", "pushed by nix copy");
        using var client = _server.Client(_server.RootToken);
        Assert.Equal("Uploaded", (await AtticUploads.ReadResult(await AtticUploads.Upload(client, "s3", small))).GetProperty("kind").GetString());
        Assert.Equal("Uploaded", (await AtticUploads.ReadResult(await AtticUploads.Upload(client, "s3", big, preamble: true))).GetProperty("kind").GetString());
        await NixUploads.Upload(client, "s3", copied, "xz");

        foreach (var nar in new[] { small, big, copied })
        {
            var info = await Served.SignedNarInfo(client, "s3", nar.Hash);
            Assert.Equal(nar.Nar, await Served.Nar(client, "s3", info));
        }
        var keys = await _s3.ListKeysAsync();
        Assert.Equal(3, keys.Length);
        Assert.All(keys, key => Assert.True(BlobKey.IsValid(key), key));
        Assert.Contains(_s3.Requests, r => r.StartsWith("POST ") && r.EndsWith("?uploads 200")); // the big one went multipart
    }

    [Fact]
    public async Task A_chunked_NAR_is_stored_as_one_object_per_chunk_and_served_back_identical()
    {
        await using var server = await TestServer.StartAsync(Chunked, storageToml: _s3.StorageToml);
        await server.CreateCacheAsync("chunked");
        var nar = TestNar.File("chunked", RandomNumberGenerator.GetBytes(1024 * 1024));
        using var client = server.Client(server.RootToken);
        var before = (await _s3.ListKeysAsync()).Length;
        var result = await AtticUploads.ReadResult(await AtticUploads.Upload(client, "chunked", nar));
        Assert.Equal(0.0, result.GetProperty("frac_deduplicated").GetDouble());
        Assert.True((await _s3.ListKeysAsync()).Length - before >= 5, "expected one object per chunk");
        Assert.Equal(nar.Nar, await Served.Nar(client, "chunked", await Served.SignedNarInfo(client, "chunked", nar.Hash)));
    }

    [Fact]
    public async Task A_chunked_NAR_in_S3_missing_one_of_its_many_chunks_is_a_503_before_any_byte()
    {
        // Small chunks: far more than are checked at once, so the missing one is found among checks in flight.
        await using var server = await TestServer.StartAsync(
            "[chunking]\nnar-size-threshold = 1\nmin-size = 1024\navg-size = 4096\nmax-size = 16384", storageToml: _s3.StorageToml);
        await server.CreateCacheAsync("holes");
        var nar = TestNar.File("holes", RandomNumberGenerator.GetBytes(400_000));
        using var client = server.Client(server.RootToken);
        var before = await _s3.ListKeysAsync();
        await AtticUploads.ReadResult(await AtticUploads.Upload(client, "holes", nar));
        var info = await Served.SignedNarInfo(client, "holes", nar.Hash);
        Assert.Equal(nar.Nar, await Served.Nar(client, "holes", info));

        var chunks = (await _s3.ListKeysAsync()).Except(before).Order().ToArray();
        Assert.True(chunks.Length > 40, $"{chunks.Length} chunks");
        using (var s3 = _s3.Client())
        {
            await s3.DeleteObjectAsync(S3rver.Bucket, chunks[chunks.Length / 2]);
        }
        using var response = await client.GetAsync($"/holes/{info.Url}");
        await Expect.Error(response, 503, "IncompleteNar");
    }

    [Fact]
    public async Task A_range_of_a_NAR_in_S3_is_served_from_its_offset()
    {
        var nar = TestNar.File("ranged", RandomNumberGenerator.GetBytes(9 * 1024 * 1024));
        using var client = _server.Client(_server.RootToken);
        await AtticUploads.ReadResult(await AtticUploads.Upload(client, "s3", nar));
        var whole = await client.GetByteArrayAsync($"/s3/nar/{nar.Hash}.nar");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/s3/nar/{nar.Hash}.nar");
        request.Headers.Range = new RangeHeaderValue(8_500_000, 8_500_099);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(whole[8_500_000..8_500_100], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Readyz_heads_the_bucket_and_says_when_S3_does_not_answer()
    {
        using var client = _server.Client();
        using (var ready = await client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        Assert.True(await _s3.SawRequestAsync(r => r.StartsWith("HEAD ", StringComparison.Ordinal) && r.Contains("00000000-0000-0000-0000-000000000000.chunk", StringComparison.Ordinal)),
            "readyz sent no HEAD of its probe key to the bucket");

        await _s3.StopAsync();
        using var notReady = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        using var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("database").GetString());
        Assert.NotEqual("ok", body.RootElement.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task A_failed_S3_write_records_nothing()
    {
        var nar = TestNar.File("unstored", "S3 is down");
        using var client = _server.Client(_server.RootToken);
        await _s3.StopAsync();
        try
        {
            using var response = await AtticUploads.Upload(client, "s3", nar);
            Assert.False(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            // the server may drop the connection instead of answering: either way, no success
        }

        // Attic #110: the path must not be recorded, so it is not served and the next push sends it again.
        using var narinfo = await client.GetAsync($"/s3/{nar.Hash}.narinfo");
        await Expect.Error(narinfo, 404, "NoSuchObject");
        using var missing = await client.PostAsync("/_api/v1/get-missing-paths",
            TestServer.Json($$"""{"cache":"s3","store_path_hashes":["{{nar.Hash}}"]}"""));
        using var json = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal([nar.Hash], json.RootElement.GetProperty("missing_paths").EnumerateArray().Select(e => e.GetString()));
    }
}
