using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vega.Lite.Gc;

namespace Vega.Lite.Tests.Api;

/// <summary>
/// A blob lost from storage (issue 14, defect 4; Attic #211): the download that finds it missing records it, the path
/// counts as missing, and the next push of those bytes, under any path and by either upload route, repairs every NAR
/// that needed it.
/// </summary>
public sealed class LostBlobRepairTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(TestServer.SmallChunks);
        await _server.CreateCacheAsync("lost");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static TestNar Nar(string name, int size, int seed) => TestNar.File(name, TestNar.RandomBytes(size, seed));

    private string[] ChunkKeys(string storePathHash) => _server.ChunkKeys(storePathHash);

    private string BlobPath(string key) => _server.BlobPath(key);

    private void DeleteBlob(string key)
    {
        Assert.True(File.Exists(BlobPath(key)));
        File.Delete(BlobPath(key));
    }

    private static async Task<string> PushAsync(HttpClient client, TestNar nar)
    {
        using var response = await AtticUploads.Upload(client, "lost", nar);
        return (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString()!;
    }

    /// <summary>The NAR is a 503 and, once that download has recorded the loss, its narinfo a 404, as for a missing path.</summary>
    private static async Task ExpectIncompleteAsync(HttpClient client, TestNar nar)
    {
        using var response = await client.GetAsync($"/lost/nar/{nar.Hash}.nar");
        await Expect.Error(response, 503, "IncompleteNar");
        using var narInfo = await client.GetAsync($"/lost/{nar.Hash}.narinfo");
        await Expect.Error(narInfo, 404, "NoSuchObject");
    }

    private static async Task ExpectWholeAsync(HttpClient client, TestNar nar) =>
        Assert.Equal(nar.Nar, await Served.Nar(client, "lost", await Served.SignedNarInfo(client, "lost", nar.Hash)));

    private static async Task<string[]> MissingAsync(HttpClient client, params TestNar[] nars)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cache"] = "lost",
            ["store_path_hashes"] = nars.Select(n => n.Hash).ToArray(),
        });
        using var response = await client.PostAsync("/_api/v1/get-missing-paths", TestServer.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("missing_paths").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private Task<GcReport> CollectAsync() => _server.Services.GetRequiredService<GarbageCollector>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task A_download_that_finds_a_blob_missing_records_it_and_the_path_then_counts_as_missing()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = Nar("whole-blob", 5000, 1); // below the threshold: one chunk
        await PushAsync(client, nar);
        Assert.Empty(await MissingAsync(client, nar));
        await ExpectWholeAsync(client, nar); // its narinfo is now held in memory, and must be dropped below
        DeleteBlob(Assert.Single(ChunkKeys(nar.Hash)));

        await ExpectIncompleteAsync(client, nar);
        Assert.Equal([nar.Hash], await MissingAsync(client, nar));
        Assert.Equal(1, _server.Scalar("SELECT COUNT(*) FROM chunk WHERE state = 'D'"));
        await ExpectIncompleteAsync(client, nar); // and stays so, without asking storage again
    }

    [Fact]
    public async Task A_GC_pass_records_a_lost_blob_that_no_download_asked_for()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = Nar("unread", 300_000, 8);
        var kept = Nar("kept", 5000, 9);
        await PushAsync(client, nar);
        await PushAsync(client, kept);
        await ExpectWholeAsync(client, nar); // its narinfo is held in memory, and the pass must drop it
        DeleteBlob(ChunkKeys(nar.Hash)[1]);

        var report = await CollectAsync();
        Assert.Equal(new GcReport(0, 0, 0, 0, LostChunks: 1), report);
        Assert.Equal([nar.Hash], await MissingAsync(client, nar, kept));
        using (var narInfo = await client.GetAsync($"/lost/{nar.Hash}.narinfo"))
        {
            await Expect.Error(narInfo, 404, "NoSuchObject");
        }
        await ExpectIncompleteAsync(client, nar);
        await ExpectWholeAsync(client, kept);
        Assert.Equal(new GcReport(0, 0, 0, 0), await CollectAsync()); // recorded once; the row waits for its bytes

        Assert.Equal("Uploaded", await PushAsync(client, nar));
        await ExpectWholeAsync(client, nar);
    }

    [Fact]
    public async Task Pushing_the_path_again_through_upload_path_stores_fresh_blobs_and_GC_cleans_up_after()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = Nar("chunked", 600_000, 2);
        await PushAsync(client, nar);
        var keys = ChunkKeys(nar.Hash);
        Assert.True(keys.Length > 3);
        DeleteBlob(keys[2]);
        await ExpectIncompleteAsync(client, nar);

        Assert.Equal("Uploaded", await PushAsync(client, nar)); // not Deduplicated into the broken NAR
        await ExpectWholeAsync(client, nar);
        Assert.Empty(await MissingAsync(client, nar));
        var repaired = ChunkKeys(nar.Hash);
        Assert.NotEqual(keys[2], repaired[2]);
        Assert.Equal(keys.Where((_, i) => i != 2), repaired.Where((_, i) => i != 2)); // the other chunks were reused

        var report = await CollectAsync();
        Assert.Equal(1, report.Nars); // the broken NAR's row
        Assert.Equal(1, report.Chunks); // the lost chunk's row
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM chunk WHERE state <> 'V'"));
        Assert.Equal(_server.Scalar("SELECT COUNT(*) FROM chunk"), Served.BlobFiles(_server.StorageDirectory).Length);
        await ExpectWholeAsync(client, nar);
    }

    [Fact]
    public async Task Pushing_the_path_again_the_way_nix_copy_does_repairs_it()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = Nar("nix-copied", 400_000, 3);
        await NixUploads.Upload(client, "lost", nar, "zstd");
        var keys = ChunkKeys(nar.Hash);
        DeleteBlob(keys[^1]);
        await ExpectIncompleteAsync(client, nar);

        await NixUploads.Upload(client, "lost", nar, "zstd"); // HEAD of the NAR file answers 404 now, so Nix sends it
        await ExpectWholeAsync(client, nar);
        Assert.DoesNotContain(keys[^1], ChunkKeys(nar.Hash));
    }

    [Fact]
    public async Task The_same_NAR_pushed_under_another_path_repairs_the_first_path_too()
    {
        using var client = _server.Client(_server.RootToken);
        var first = Nar("first", 300_000, 4);
        var second = first with { StorePath = $"/nix/store/{TestNar.RandomHash()}-second" };
        await PushAsync(client, first);
        DeleteBlob(ChunkKeys(first.Hash)[1]);
        await ExpectIncompleteAsync(client, first);

        Assert.Equal("Uploaded", await PushAsync(client, second));
        await ExpectWholeAsync(client, second);
        await ExpectWholeAsync(client, first);
        Assert.Empty(await MissingAsync(client, first, second));
    }

    /// <summary>Two NARs of the same file but its last bytes: every chunk but the last is shared.</summary>
    private static (TestNar A, TestNar B) SharingNars(int seed)
    {
        var bytes = TestNar.RandomBytes(500_000, seed);
        var a = TestNar.File("a", bytes);
        bytes[^100] ^= 0xff;
        return (a, TestNar.File("b", bytes));
    }

    [Fact]
    public async Task A_NAR_that_shares_chunks_with_the_broken_one_but_not_the_lost_one_keeps_working()
    {
        using var client = _server.Client(_server.RootToken);
        var (a, b) = SharingNars(5);
        await PushAsync(client, a);
        await PushAsync(client, b);
        var aKeys = ChunkKeys(a.Hash);
        var bKeys = ChunkKeys(b.Hash);
        Assert.True(aKeys.Intersect(bKeys).Count() >= 2, "the two NARs should share chunks");
        var onlyA = aKeys.Except(bKeys).First();
        DeleteBlob(onlyA);

        await ExpectIncompleteAsync(client, a);
        await ExpectWholeAsync(client, b);
        Assert.Equal([a.Hash], await MissingAsync(client, a, b));
        await CollectAsync();
        await ExpectWholeAsync(client, b);

        Assert.Equal("Uploaded", await PushAsync(client, a));
        await ExpectWholeAsync(client, a);
        await ExpectWholeAsync(client, b);
    }

    [Fact]
    public async Task A_NAR_that_shares_the_lost_chunk_is_repaired_by_the_push_of_the_other_even_after_a_GC_pass()
    {
        using var client = _server.Client(_server.RootToken);
        var (a, b) = SharingNars(6);
        await PushAsync(client, a);
        await PushAsync(client, b);
        var shared = ChunkKeys(a.Hash).Intersect(ChunkKeys(b.Hash)).First();
        DeleteBlob(shared);

        await ExpectIncompleteAsync(client, a);
        await ExpectIncompleteAsync(client, b);
        Assert.Equal([a.Hash, b.Hash], await MissingAsync(client, a, b));
        Assert.Equal(new GcReport(0, 0, 0, 0), await CollectAsync()); // the lost chunk's row waits for its bytes

        Assert.Equal("Uploaded", await PushAsync(client, a));
        await ExpectWholeAsync(client, a);
        await ExpectWholeAsync(client, b); // never pushed again
        Assert.Empty(await MissingAsync(client, a, b));
        Assert.DoesNotContain(shared, ChunkKeys(b.Hash));

        var report = await CollectAsync();
        Assert.Equal(1, report.Nars);
        Assert.Equal(1, report.Chunks);
        await ExpectWholeAsync(client, b);
    }

    [Fact]
    public async Task A_download_records_every_missing_blob_of_the_NAR_so_one_push_repairs_it()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = Nar("twice-broken", 600_000, 7);
        await PushAsync(client, nar);
        var keys = ChunkKeys(nar.Hash);
        DeleteBlob(keys[0]);
        DeleteBlob(keys[^1]);
        await ExpectIncompleteAsync(client, nar);
        Assert.Equal(2, _server.Scalar("SELECT COUNT(*) FROM chunk WHERE state = 'D'"));

        await PushAsync(client, nar);
        await ExpectWholeAsync(client, nar);
    }
}
