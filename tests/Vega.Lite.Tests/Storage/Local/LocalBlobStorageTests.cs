using System.Runtime.InteropServices;
using System.Text;
using Vega.Lite.Storage;
using Vega.Lite.Storage.Local;

namespace Vega.Lite.Tests.Storage.Local;

public sealed class LocalBlobStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vega-blobs-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_committed_blob_is_readable_in_attics_layout_and_an_abandoned_one_leaves_nothing()
    {
        using var storage = new LocalBlobStorage(_root);
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
    public async Task Keys_that_could_leave_the_root_are_refused(string key)
    {
        using var storage = new LocalBlobStorage(_root);
        Assert.False(BlobKey.IsValid(key));
        Assert.Throws<ArgumentException>(() => storage.PathOf(key));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.ExistsAsync(key, default));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenReadAsync(key, 0, default));
    }

    [Fact]
    public void Leftover_temp_files_from_a_crash_are_removed_at_start()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".tmp"));
        var cut = Path.Combine(_root, ".tmp", "cut.tmp");
        File.WriteAllText(cut, "partial");
        File.SetLastWriteTimeUtc(cut, DateTime.UtcNow - LocalBlobStorage.AbandonedAfter - TimeSpan.FromMinutes(1));
        new LocalBlobStorage(_root).Dispose();
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task A_write_in_flight_in_another_process_survives_a_start()
    {
        using var running = new LocalBlobStorage(_root);
        var key = BlobKey.New();
        await using var upload = await running.BeginUploadAsync(key, default);
        await upload.Content.WriteAsync("in flight"u8.ToArray());
        new LocalBlobStorage(_root).Dispose(); // a second process (replica, db-migrations) starting on the same storage
        await upload.CommitAsync(default);
        await using var read = await running.OpenReadAsync(key, 0, default);
        Assert.Equal("in flight", await new StreamReader(read!).ReadToEndAsync());
    }

    [Fact]
    public async Task A_blob_reads_whole_or_from_an_offset_and_a_missing_one_is_absent()
    {
        using var storage = new LocalBlobStorage(_root);
        var key = await StoreAsync(storage, "0123456789");
        Assert.True(await storage.ExistsAsync(key, default));
        Assert.Equal("0123456789", await ReadAllAsync(storage, key, 0));
        Assert.Equal("789", await ReadAllAsync(storage, key, 7));
        Assert.Equal("", await ReadAllAsync(storage, key, 10));

        var sameDirectory = key[..2] + BlobKey.New()[2..]; // its directory is held open by now
        Assert.False(await storage.ExistsAsync(sameDirectory, default));
        Assert.Null(await storage.OpenReadAsync(sameDirectory, 0, default));
        var otherDirectory = (key[0] == 'f' ? "0" : "f") + BlobKey.New()[1..]; // a directory that does not exist
        Assert.False(await storage.ExistsAsync(otherDirectory, default));
        Assert.Null(await storage.OpenReadAsync(otherDirectory, 0, default));
    }

    [Fact]
    public async Task A_blob_directory_replaced_under_a_running_server_is_found_again()
    {
        using var storage = new LocalBlobStorage(_root);
        var first = await StoreAsync(storage, "first");
        Assert.Equal("first", await ReadAllAsync(storage, first, 0)); // the directory a/ab is now held open

        // Someone moves the directory away and a new one takes its place: the held handle still names the old one.
        var directory = Path.GetDirectoryName(storage.PathOf(first))!;
        Directory.Move(directory, directory + ".old");
        var second = first[..2] + BlobKey.New()[2..];
        var secondPath = storage.PathOf(second);
        Directory.CreateDirectory(directory);
        File.WriteAllText(secondPath, "second");

        Assert.True(await storage.ExistsAsync(second, default));
        Assert.Equal("second", await ReadAllAsync(storage, second, 0));
        Assert.False(await storage.ExistsAsync(first, default)); // not found through the new directory
        File.WriteAllText(storage.PathOf(first), "again");
        Assert.Equal("again", await ReadAllAsync(storage, first, 0));
    }

    [Fact]
    public async Task A_blob_directory_removed_under_a_running_server_is_made_again_by_the_next_write()
    {
        using var storage = new LocalBlobStorage(_root);
        var first = await StoreAsync(storage, "first");
        await storage.DeleteAsync(first, default);
        Directory.Delete(Path.GetDirectoryName(storage.PathOf(first))!);
        Directory.Delete(Path.Combine(_root, first[..1]));

        var second = first[..2] + BlobKey.New()[2..];
        await using (var upload = await storage.BeginUploadAsync(second, default))
        {
            await upload.Content.WriteAsync("second"u8.ToArray());
            await upload.CommitAsync(default);
        }
        Assert.Equal("second", File.ReadAllText(storage.PathOf(second)));
    }

    [Fact]
    public async Task A_key_is_written_once_a_second_writer_or_commit_fails_and_the_first_blob_stays()
    {
        using var storage = new LocalBlobStorage(_root);
        var key = BlobKey.New();
        await using (var first = await storage.BeginUploadAsync(key, default))
        {
            await Assert.ThrowsAsync<IOException>(() => storage.BeginUploadAsync(key, default)); // its temporary file exists
            await first.Content.WriteAsync("first"u8.ToArray());
            await first.CommitAsync(default);
        }
        await using (var second = await storage.BeginUploadAsync(key, default))
        {
            await second.Content.WriteAsync("second"u8.ToArray());
            await Assert.ThrowsAsync<IOException>(() => second.CommitAsync(default)); // the blob exists: no replace
        }
        Assert.Equal("first", await ReadAllAsync(storage, key, 0));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task Blob_files_and_directories_take_their_mode_from_the_umask_as_FileStream_made_them()
    {
        // 002, not the usual 022, so a fixed 0644/0755 shows: group-writable storage shared by a team keeps working.
        var previous = SetUmask(0b000_000_010);
        try
        {
            using var storage = new LocalBlobStorage(_root);
            var file = storage.PathOf(await StoreAsync(storage, "mode"));
            Assert.Equal((UnixFileMode)0b110_110_100, File.GetUnixFileMode(file));
            Assert.Equal((UnixFileMode)0b111_111_101, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }
        finally
        {
            SetUmask(previous);
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);

    [Fact]
    public async Task A_disposed_storage_refuses_calls_and_disposing_twice_is_harmless()
    {
        var storage = new LocalBlobStorage(_root);
        var key = await StoreAsync(storage, "kept");
        storage.Dispose();
        storage.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ExistsAsync(key, default));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.BeginUploadAsync(BlobKey.New(), default));
        using var again = new LocalBlobStorage(_root);
        Assert.Equal("kept", await ReadAllAsync(again, key, 0));
    }

    private static Task<string> StoreAsync(LocalBlobStorage storage, string text) =>
        Blobs.WriteAsync(storage, Encoding.ASCII.GetBytes(text));

    private static async Task<string> ReadAllAsync(LocalBlobStorage storage, string key, long offset) =>
        Encoding.ASCII.GetString(await Blobs.ReadAsync(storage, key, offset));
}
