using Microsoft.Extensions.DependencyInjection;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Gc;
using Vega.Lite.Ingest;
using Vega.Lite.Storage;

namespace Vega.Lite.Tests.Gc;

/// <summary>Garbage collection (docs/attic-api.md §7) and path deletion (beyond Attic, its #265).</summary>
public sealed class GarbageCollectionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(TestServer.SmallChunks);
        await _server.CreateCacheAsync("gc");
        await _server.CreateCacheAsync("keep");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<GcReport> CollectAsync() => _server.Services.GetRequiredService<GarbageCollector>().RunOnceAsync(CancellationToken.None);

    private static TestNar Nar(string name, int size, int seed) => TestNar.File(name, TestNar.RandomBytes(size, seed));

    private long Count(string table) => _server.Scalar($"SELECT COUNT(*) FROM {table}");

    private async Task PushAsync(HttpClient client, string cache, TestNar nar)
    {
        using var response = await AtticUploads.Upload(client, cache, nar);
        await AtticUploads.ReadResult(response);
    }

    private static async Task SetRetentionAsync(HttpClient client, string cache, int seconds)
    {
        using var response = await client.PatchAsync($"/_api/v1/cache-config/{cache}", TestServer.Json($$$"""{"retention_period":{"Period":{{{seconds}}}}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Retention_removes_expired_paths_and_every_blob_in_one_pass_as_Attics_test_expects()
    {
        using var client = _server.Client(_server.RootToken);
        var small = Nar("small", 1000, 1);
        var big = Nar("big", 600_000, 2); // chunked
        await PushAsync(client, "gc", small);
        await PushAsync(client, "gc", big);
        Assert.NotEmpty(Served.BlobFiles(_server.StorageDirectory));
        await SetRetentionAsync(client, "gc", 1); // drops the cache's narinfo held in memory, so ask again below
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        using (var held = await client.GetAsync($"/gc/{small.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode); // expired but not collected; held from here on
        }

        var report = await CollectAsync();
        Assert.Equal(2, report.Objects);
        Assert.Equal(2, report.Nars);
        using var narinfo = await client.GetAsync($"/gc/{small.Hash}.narinfo");
        await Expect.Error(narinfo, 404, "NoSuchObject");
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));
        Assert.Equal(["VERSION"], Directory.EnumerateFiles(_server.StorageDirectory, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Assert.Equal(0, Count("chunk"));
        Assert.Equal(0, Count("nar"));
    }

    [Fact]
    public async Task Without_retention_nothing_is_collected_and_a_second_pass_finds_nothing()
    {
        using var client = _server.Client(_server.RootToken);
        await PushAsync(client, "gc", Nar("kept", 300_000, 3));
        var blobs = Served.BlobFiles(_server.StorageDirectory).Length;
        Assert.Equal(new GcReport(0, 0, 0, 0), await CollectAsync());
        Assert.Equal(blobs, Served.BlobFiles(_server.StorageDirectory).Length);
    }

    [Fact]
    public async Task A_path_downloaded_within_the_retention_period_is_kept()
    {
        using var client = _server.Client(_server.RootToken);
        var used = Nar("used", 1000, 4);
        var unused = Nar("unused", 1000, 5);
        await PushAsync(client, "gc", used);
        await PushAsync(client, "gc", unused);
        await SetRetentionAsync(client, "gc", 3);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Served.Nar(client, "gc", await Served.SignedNarInfo(client, "gc", used.Hash)); // marks it accessed
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(1, (await CollectAsync()).Objects);
        await Served.SignedNarInfo(client, "gc", used.Hash);
        using var gone = await client.GetAsync($"/gc/{unused.Hash}.narinfo");
        await Expect.Error(gone, 404, "NoSuchObject");
    }

    [Fact]
    public async Task A_NAR_shared_by_two_caches_lives_until_both_paths_are_deleted()
    {
        var nar = Nar("shared", 400_000, 6);
        using var client = _server.Client(_server.RootToken);
        await PushAsync(client, "gc", nar);
        await PushAsync(client, "keep", nar);
        var blobs = Served.BlobFiles(_server.StorageDirectory).Length;

        using (var deleted = await client.DeleteAsync($"/gc/{nar.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Equal("", await deleted.Content.ReadAsStringAsync());
        }
        using (var gone = await client.GetAsync($"/gc/{nar.Hash}.narinfo"))
        {
            await Expect.Error(gone, 404, "NoSuchObject");
        }
        Assert.Equal(new GcReport(0, 0, 0, 0), await CollectAsync());
        Assert.Equal(nar.Nar, await Served.Nar(client, "keep", await Served.SignedNarInfo(client, "keep", nar.Hash)));

        using (var deleted = await client.DeleteAsync($"/keep/{nar.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        var report = await CollectAsync();
        Assert.Equal(1, report.Nars);
        Assert.Equal(blobs, report.Chunks);
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));
    }

    [Fact]
    public async Task Deleting_a_path_needs_the_d_bit()
    {
        var nar = Nar("secret", 1000, 7);
        using (var root = _server.Client(_server.RootToken))
        {
            await PushAsync(root, "gc", nar);
        }
        using (var pusher = _server.Client(_server.Token(("gc", TestServer.PullPush))))
        {
            using var response = await pusher.DeleteAsync($"/gc/{nar.Hash}.narinfo");
            await Expect.Error(response, 403, "AccessError");
        }
        using (var anonymous = _server.Client())
        {
            using var response = await anonymous.DeleteAsync($"/gc/{nar.Hash}.narinfo");
            await Expect.Error(response, 401, "Unauthorized");
        }
        using var deleter = _server.Client(_server.Token(("gc", CachePermission.None with { Delete = true })));
        using (var response = await deleter.DeleteAsync($"/gc/{nar.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var again = await deleter.DeleteAsync($"/gc/{nar.Hash}.narinfo"))
        {
            await Expect.Error(again, 404, "NoSuchObject");
        }
        using (var malformed = await deleter.DeleteAsync("/gc/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.narinfo"))
        {
            await Expect.Error(malformed, 400, "InvalidStorePathHash");
        }
    }

    [Fact]
    public async Task A_blob_already_gone_counts_as_deleted()
    {
        var nar = Nar("vanished", 300_000, 8);
        using var client = _server.Client(_server.RootToken);
        await PushAsync(client, "gc", nar);
        var blobs = Served.BlobFiles(_server.StorageDirectory);
        File.Delete(blobs[0]);
        using (var deleted = await client.DeleteAsync($"/gc/{nar.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        Assert.Equal(blobs.Length, (await CollectAsync()).Chunks);
        Assert.Equal(0, Count("chunk"));
    }

    [Fact]
    public async Task The_blobs_of_an_upload_whose_process_died_are_deleted_and_a_live_ones_are_not()
    {
        var storage = _server.Services.GetRequiredService<IBlobStorage>();
        var metadata = _server.Services.GetRequiredService<Vega.Lite.Metadata.MetadataStore>();
        var dead = UploadLease.New();
        var live = UploadLease.New();
        await metadata.CreateLeaseAsync(dead.Id, $"{ProcessIdentity.Current.Split(':')[0]}:2147483646:1", default); // a pid that no longer runs
        await metadata.CreateLeaseAsync(live.Id, ProcessIdentity.Current, default);
        // Blobs are stored several at once, so a crash can leave gaps: 0 and 1 written, 2–5 not, 6 written.
        foreach (var key in new[] { dead.KeyFor(0), dead.KeyFor(1), dead.KeyFor(6), live.KeyFor(0) })
        {
            await using var upload = await storage.BeginUploadAsync(key, default);
            await upload.Content.WriteAsync(new byte[100]);
            await upload.CommitAsync(default);
        }

        Assert.Equal(1, (await CollectAsync()).AbandonedUploads);
        Assert.False(await storage.ExistsAsync(dead.KeyFor(0), default));
        Assert.False(await storage.ExistsAsync(dead.KeyFor(1), default));
        Assert.False(await storage.ExistsAsync(dead.KeyFor(6), default));
        Assert.True(await storage.ExistsAsync(live.KeyFor(0), default));
        Assert.Equal(1, Count("vega_upload_lease"));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000+4026531836:1:100")] // another host (or boot)
    [InlineData("{boot}+1:1:100")]                                        // this host, another container's pid namespace
    public async Task An_upload_owned_by_a_process_this_one_cannot_see_is_kept_until_its_heartbeat_expires(string owner)
    {
        owner = owner.Replace("{boot}", ProcessIdentity.Current.Split('+')[0]);
        Assert.False(ProcessIdentity.SharesProcessView(owner));
        var storage = _server.Services.GetRequiredService<IBlobStorage>();
        var metadata = _server.Services.GetRequiredService<Vega.Lite.Metadata.MetadataStore>();
        var elsewhere = UploadLease.New();
        await metadata.CreateLeaseAsync(elsewhere.Id, owner, default); // beats the owner's heartbeat with it
        await using (var upload = await storage.BeginUploadAsync(elsewhere.KeyFor(0), default))
        {
            await upload.Content.WriteAsync(new byte[100]);
            await upload.CommitAsync(default);
        }

        Assert.Equal(0, (await CollectAsync()).AbandonedUploads); // pid 1 runs here too, but it is not that process
        Assert.True(await storage.ExistsAsync(elsewhere.KeyFor(0), default));

        var stale = (long)Vega.Lite.Ingest.InstanceHeartbeat.Expiry.TotalSeconds + 1;
        Assert.Equal(1, _server.Execute($"UPDATE vega_instance SET heartbeat_at = {_server.Database.UnixNow} - {stale} WHERE process = '{owner}'"));
        Assert.Equal(1, (await CollectAsync()).AbandonedUploads);
        Assert.False(await storage.ExistsAsync(elsewhere.KeyFor(0), default));
        Assert.Equal(0, Count("vega_upload_lease"));
    }

    [Fact]
    public async Task This_server_beats_its_heartbeat()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_server.Scalar($"SELECT COUNT(*) FROM vega_instance WHERE process = '{ProcessIdentity.Current}'") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(1, _server.Scalar($"SELECT COUNT(*) FROM vega_instance WHERE process = '{ProcessIdentity.Current}' AND heartbeat_at >= {_server.Database.UnixNow} - 10"));
    }

    [Fact]
    public async Task An_upload_that_reuses_what_GC_took_meanwhile_is_refused_not_recorded()
    {
        var metadata = _server.Services.GetRequiredService<Vega.Lite.Metadata.MetadataStore>();
        var cache = (await metadata.GetCacheAsync("gc", default))!;
        var path = new Vega.Lite.Metadata.ObjectMetadata(TestNar.RandomHash(), "/nix/store/x-late", [], null, [], null, null);
        var collected = new Vega.Lite.Metadata.NarToRecord(
            "sha256:" + new string('0', 64), 10, "zstd", [new Vega.Lite.Metadata.PlannedChunk(987_654, null)], LeaseId: null);

        await Assert.ThrowsAsync<Vega.Lite.Metadata.ChunkCollectedException>(() => metadata.RecordUploadedPathAsync(cache.Id, collected, path, default));
        Assert.False(await metadata.UpsertObjectForCompleteNarAsync(cache.Id, 987_654, path, default));
        Assert.Equal(0, Count("object"));
        Assert.Equal(0, Count("nar"));
    }

    /// <summary>
    /// The race an upload can lose: it finds chunks stored and reuses them, GC collects them before the upload is
    /// recorded. The upload is a 503 with a body, records nothing, leaves no blob and no lease, and a retry succeeds.
    /// </summary>
    [Theory]
    [InlineData("attic")]
    [InlineData("nix")]
    public async Task An_upload_whose_reused_chunks_GC_collects_before_it_is_recorded_is_a_503_and_a_retry_succeeds(string route)
    {
        using var client = _server.Client(_server.RootToken);
        var shared = TestNar.RandomBytes(1_000_000, 31);
        var first = TestNar.File("first", shared);
        await PushAsync(client, "gc", first);
        var firstBlobs = Served.BlobFiles(_server.StorageDirectory).Length;
        var second = TestNar.File("second", [.. shared, .. TestNar.RandomBytes(3_500_000, 32)]);

        // The second NAR's body stops 100 KB before its end, until the collection has run.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new Body(second.Nar, pauseAt: second.Nar.Length - 100_000, resume: gate.Task);
        var upload = route == "attic"
            ? AtticUploads.Send(client, AtticUploads.NarInfoJson("gc", second), body)
            : NixUploads.Put(client, $"/gc/nar/{second.Compressed("none").FileName}", body, "application/x-nix-nar");
        try
        {
            // Chunks are stored in NAR order, at most UploadLease.MaxBlobsInFlight at once: a blob of the new part is
            // written only when every chunk that many positions before it is done. So once that many and one more
            // new blobs are in place, every chunk of the shared part has been looked up and found.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Served.BlobFiles(_server.StorageDirectory).Length < firstBlobs + UploadLease.MaxBlobsInFlight + 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the second upload stored too few new chunks");
                Assert.False(upload.IsCompleted, "the second upload ended early");
                await Task.Delay(20);
            }
            using (var delete = await client.DeleteAsync($"/gc/{first.Hash}.narinfo"))
            {
                Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            }
            Assert.True((await CollectAsync()).Chunks >= firstBlobs);
        }
        finally
        {
            gate.TrySetResult(); // a failed step above still lets the upload end
        }

        using (var response = await upload)
        {
            await Expect.Error(response, 503, "ServiceUnavailable");
        }
        Assert.Equal(0, Count("object"));
        Assert.Equal(0, Count("nar"));
        Assert.Equal(0, Count("vega_upload_lease"));
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));

        if (route == "attic")
        {
            await PushAsync(client, "gc", second);
        }
        else
        {
            await NixUploads.Upload(client, "gc", second, "none");
        }
        Assert.Equal(second.Nar, await Served.Nar(client, "gc", await Served.SignedNarInfo(client, "gc", second.Hash)));
    }

    [Fact]
    public async Task A_pass_is_skipped_while_another_process_has_the_collector_turn()
    {
        using var client = _server.Client(_server.RootToken);
        await PushAsync(client, "gc", Nar("expiring", 1000, 7));
        await SetRetentionAsync(client, "gc", 1);
        await Task.Delay(2100);

        using var other = Vega.Lite.Metadata.MetadataDatabase.For(_server.DatabaseUrl); // another process's connection
        var turn = await other.TryTakeCollectorTurnAsync(CancellationToken.None);
        Assert.NotNull(turn);
        Assert.Null(await _server.Database.TryTakeCollectorTurnAsync(CancellationToken.None));
        var skipped = await CollectAsync();
        Assert.True(skipped.Skipped);
        Assert.Equal(1, Count("object"));

        await turn.DisposeAsync();
        var report = await CollectAsync();
        Assert.False(report.Skipped);
        Assert.Equal(1, report.Objects);
        Assert.Equal(0, Count("object"));
    }
}
