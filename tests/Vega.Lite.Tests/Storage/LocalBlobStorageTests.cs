using Vega.Lite.Storage;

namespace Vega.Lite.Tests.Storage;

public sealed class LocalBlobStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vega-blobs-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_committed_blob_is_readable_in_attics_layout_and_an_abandoned_one_leaves_nothing()
    {
        var storage = new LocalBlobStorage(_root);
        var key = BlobKey.New();
        await using (var upload = await storage.BeginUploadAsync(key, default))
        {
            await upload.Content.WriteAsync("hello"u8.ToArray());
            Assert.Null(await storage.OpenReadAsync(key, 0, default)); // invisible until committed
            await upload.CommitAsync(default);
        }
        Assert.True(BlobKey.IsValid(key));
        Assert.True(File.Exists(Path.Combine(_root, key[..1], key[..2], key)));
        Assert.Equal("1", File.ReadAllText(Path.Combine(_root, "VERSION")));
        await using (var read = await storage.OpenReadAsync(key, 2, default))
        {
            using var reader = new StreamReader(read!);
            Assert.Equal("llo", await reader.ReadToEndAsync());
        }

        await using (var abandoned = await storage.BeginUploadAsync(BlobKey.New(), default))
        {
            await abandoned.Content.WriteAsync(new byte[1000]);
        }
        Assert.Single(Directory.EnumerateFiles(_root, "*.chunk", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));

        await storage.DeleteAsync(key, default);
        await storage.DeleteAsync(key, default); // already gone counts as deleted
        await storage.DeleteAsync(BlobKey.New(), default); // even when its directory never existed
        Assert.Null(await storage.OpenReadAsync(key, 0, default));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("0a0a0a0a-0a0a-0a0a-0a0a-0a0a0a0a0a0a.chunk/../../x")]
    [InlineData("0A0A0A0A-0A0A-0A0A-0A0A-0A0A0A0A0A0A.chunk")]
    [InlineData("")]
    public void Keys_that_could_leave_the_root_are_refused(string key)
    {
        var storage = new LocalBlobStorage(_root);
        Assert.False(BlobKey.IsValid(key));
        Assert.Throws<ArgumentException>(() => storage.PathOf(key));
    }

    [Fact]
    public void Leftover_temp_files_from_a_crash_are_removed_at_start()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".tmp"));
        var cut = Path.Combine(_root, ".tmp", "cut.tmp");
        File.WriteAllText(cut, "partial");
        File.SetLastWriteTimeUtc(cut, DateTime.UtcNow - LocalBlobStorage.AbandonedAfter - TimeSpan.FromMinutes(1));
        _ = new LocalBlobStorage(_root);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task A_write_in_flight_in_another_process_survives_a_start()
    {
        var running = new LocalBlobStorage(_root);
        var key = BlobKey.New();
        await using var upload = await running.BeginUploadAsync(key, default);
        await upload.Content.WriteAsync("in flight"u8.ToArray());
        _ = new LocalBlobStorage(_root); // a second process (replica, db-migrations) starting on the same storage
        await upload.CommitAsync(default);
        await using var read = await running.OpenReadAsync(key, 0, default);
        Assert.Equal("in flight", await new StreamReader(read!).ReadToEndAsync());
    }
}
