using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Api;

/// <summary>Uploads cut into content-defined chunks (docs/attic-api.md §6.3, §6.4), deduplicated chunk by chunk.</summary>
public sealed class ChunkedUploadTests : IAsyncLifetime
{
    private const string Chunking = "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(Chunking);
        await _server.CreateCacheAsync("chunks");
        await _server.CreateCacheAsync("more");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_chunked_NAR_is_served_whole_and_byte_ranges_work_across_chunks()
    {
        var nar = TestNar.File("big", TestNar.RandomBytes(1_500_000, 1));
        using var client = _server.Client(_server.RootToken);
        using var response = await AtticUploads.Upload(client, "chunks", nar);
        var result = await AtticUploads.ReadResult(response);
        Assert.Equal("Uploaded", result.GetProperty("kind").GetString());
        Assert.Equal(0.0, result.GetProperty("frac_deduplicated").GetDouble());
        var blobs = Served.BlobFiles(_server.StorageDirectory);
        Assert.True(blobs.Length >= 5, $"expected several chunks, got {blobs.Length}");
        Assert.Equal(blobs.Sum(f => new FileInfo(f).Length), result.GetProperty("file_size").GetInt64());
        Assert.Equal(blobs.Length, _server.Scalar("SELECT num_chunks FROM nar"));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM vega_upload_lease"));
        // Each chunk row describes its blob file: its size and its SHA-256.
        Assert.Equal(blobs.Length, _server.Scalar("SELECT COUNT(*) FROM chunk"));
        foreach (var row in _server.Rows("SELECT SUBSTR(remote_file_id, 7), file_hash, file_size FROM chunk"))
        {
            var blob = Assert.Single(blobs, f => Path.GetFileName(f) == row[0]);
            Assert.Equal(AtticUploads.HexNarHash(File.ReadAllBytes(blob)), row[1]);
            Assert.Equal(new FileInfo(blob).Length.ToString(), row[2]);
        }

        var info = await Served.SignedNarInfo(client, "chunks", nar.Hash);
        Assert.Equal(nar.Nar, await Served.Nar(client, "chunks", info));

        using var whole = await client.GetAsync($"/chunks/{info.Url}");
        var file = await whole.Content.ReadAsByteArrayAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/chunks/{info.Url}");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, file.Length - 1000);
        using var partial = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(file[1000..^999], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_next_version_reuses_the_chunks_it_shares_with_the_previous_one()
    {
        var common = TestNar.RandomBytes(2_000_000, 2);
        var v1 = TestNar.File("app-1.0", common);
        var v2 = TestNar.File("app-1.1", [.. common[..700_000], .. TestNar.RandomBytes(3000, 3), .. common[700_000..]]);
        using var client = _server.Client(_server.RootToken);
        (await AtticUploads.Upload(client, "chunks", v1)).Dispose();
        var blobsAfterV1 = Served.BlobFiles(_server.StorageDirectory).Length;
        using var response = await AtticUploads.Upload(client, "more", v2);
        var result = await AtticUploads.ReadResult(response);
        Assert.Equal("Uploaded", result.GetProperty("kind").GetString());
        Assert.InRange(result.GetProperty("frac_deduplicated").GetDouble(), 0.8, 1.0);
        Assert.InRange(Served.BlobFiles(_server.StorageDirectory).Length - blobsAfterV1, 1, 4);
        Assert.Equal(v2.Nar, await Served.Nar(client, "more", await Served.SignedNarInfo(client, "more", v2.Hash)));
    }

    [Fact]
    public async Task A_refused_chunked_upload_leaves_no_chunk_no_blob_and_no_lease()
    {
        var nar = TestNar.File("refused", TestNar.RandomBytes(1_000_000, 4));
        using var client = _server.Client(_server.RootToken);
        using var response = await AtticUploads.Send(client, AtticUploads.NarInfoJson("chunks", nar, narHash: AtticUploads.HexNarHash([1, 2, 3])), nar.Nar);
        await Expect.Error(response, 400, "RequestError");
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM chunk"));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM vega_upload_lease"));
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_NAR_all_succeed_and_store_it_once()
    {
        var nar = TestNar.File("popular", TestNar.RandomBytes(800_000, 5));
        using var client = _server.Client(_server.RootToken);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AtticUploads.Upload(client, "chunks", nar)));
        foreach (var response in responses)
        {
            var kind = (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString();
            Assert.Contains(kind, new[] { "Uploaded", "Deduplicated" });
            response.Dispose();
        }
        Assert.Equal(1, _server.Scalar("SELECT COUNT(*) FROM nar"));
        Assert.Equal(_server.Scalar("SELECT COUNT(*) FROM chunk"), Served.BlobFiles(_server.StorageDirectory).Length);
        Assert.Equal(_server.Scalar("SELECT num_chunks FROM nar"), _server.Scalar("SELECT COUNT(*) FROM chunk"));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM vega_upload_lease"));
        Assert.Equal(nar.Nar, await Served.Nar(client, "chunks", await Served.SignedNarInfo(client, "chunks", nar.Hash)));
    }

    [Fact]
    public async Task A_NAR_of_thousands_of_chunks_some_repeated_is_recorded_in_order_and_each_blob_once()
    {
        // Tiny chunks, so that rows and references span several insert statements.
        await using var server = await TestServer.StartAsync("[chunking]\nnar-size-threshold = 1\nmin-size = 64\navg-size = 256\nmax-size = 1024");
        await server.CreateCacheAsync("tiny");
        var block = TestNar.RandomBytes(450_000, 6);
        var nar = TestNar.File("repeats", [.. block, .. block, .. TestNar.RandomBytes(150_000, 7)]);
        using var client = server.Client(server.RootToken);
        using var response = await AtticUploads.Upload(client, "tiny", nar);
        Assert.Equal("Uploaded", (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString());

        var positions = server.Scalar("SELECT num_chunks FROM nar");
        var chunks = server.Scalar("SELECT COUNT(*) FROM chunk");
        Assert.True(positions > 3 * MetadataStore.RefsPerStatement, $"{positions} chunk positions");
        Assert.True(chunks > 3 * MetadataStore.ChunkRowsPerStatement && chunks < positions * 3 / 4, $"{chunks} chunks for {positions} positions: the repeated block's are shared");
        Assert.Equal(chunks, server.Scalar("SELECT COUNT(DISTINCT chunk_hash) FROM chunk"));
        Assert.Equal(chunks, Served.BlobFiles(server.StorageDirectory).Length);
        Assert.Equal(positions, server.Scalar("SELECT COUNT(DISTINCT seq) FROM chunkref"));
        Assert.Equal(positions - 1, server.Scalar("SELECT MAX(seq) - MIN(seq) FROM chunkref"));
        Assert.Equal(nar.Nar, await Served.Nar(client, "tiny", await Served.SignedNarInfo(client, "tiny", nar.Hash)));
    }
}
