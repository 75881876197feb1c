using Vega.Lite.Config;
using Vega.Lite.Core.Nix;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;
using Vega.Lite.Storage.Local;

namespace Vega.Lite.Tests.Ingest;

/// <summary>The ingest pipeline on real local storage and a real metadata database, with its storage calls counted.</summary>
public sealed class NarIngesterTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vega-ingest-").FullName;
    private MetadataStore _metadata = null!;
    private LocalBlobStorage _local = null!;
    private CountingStorage _storage = null!;
    private NarIngester _ingester = null!;
    private long _cacheId;

    public async Task InitializeAsync()
    {
        var database = MetadataDatabase.For(await PostgresServer.NewDatabaseUrlAsync(_directory));
        database.Migrate(RemoteFiles.Local);
        _metadata = new MetadataStore(database, RemoteFiles.Local, TimeProvider.System);
        _local = new LocalBlobStorage(Path.Combine(_directory, "storage"));
        _storage = new CountingStorage(_local);
        _ingester = new NarIngester(_storage, _metadata, new CompressionConfig(CompressionType.Zstd, null), new ChunkingConfig(1, 16384, 65536, 262144));
        await _metadata.CreateCacheAsync(new NewCache("c", NixKeypair.Generate("c"), true, "/nix/store", 41, []), default);
        _cacheId = (await _metadata.GetCacheAsync("c", default))!.Id;
    }

    public Task DisposeAsync()
    {
        _local.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_NAR_made_only_of_stored_chunks_writes_nothing_and_flushes_nothing()
    {
        var first = TestNar.File("first", TestNar.RandomBytes(600_000, 11));
        await IngestAndRecordAsync(first);
        Assert.Equal(1, _storage.Flushes);
        var uploads = _storage.Uploads;
        Assert.True(uploads >= 3, $"{uploads} blobs");

        // The same contents under another name: every chunk is found stored.
        var again = TestNar.File("again", TestNar.RandomBytes(600_000, 11));
        await IngestAndRecordAsync(again);
        Assert.Equal(1, _storage.Flushes);
        Assert.Equal(uploads, _storage.Uploads);

        await IngestAndRecordAsync(TestNar.File("new", TestNar.RandomBytes(600_000, 12)));
        Assert.Equal(2, _storage.Flushes);
    }

    private async Task IngestAndRecordAsync(TestNar nar)
    {
        await using var pending = await _ingester.IngestAsync(new MemoryStream(nar.Nar), nar.Nar.Length, default);
        Assert.Null(pending.InvalidReason);
        await pending.RecordAsync(record => _metadata.RecordUploadedPathAsync(
            _cacheId, record, new ObjectMetadata(nar.Hash, nar.StorePath, [], null, [], null, null), default));
    }

    /// <summary>Local storage, counting the blobs begun and the flushes asked for.</summary>
    private sealed class CountingStorage(IBlobStorage inner) : IBlobStorage
    {
        private int _uploads;
        private int _flushes;

        public int Uploads => Volatile.Read(ref _uploads);
        public int Flushes => Volatile.Read(ref _flushes);

        public Task<IBlobUpload> BeginUploadAsync(string key, CancellationToken ct)
        {
            Interlocked.Increment(ref _uploads);
            return inner.BeginUploadAsync(key, ct);
        }

        public Task FlushAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _flushes);
            return inner.FlushAsync(ct);
        }

        public Task<Stream?> OpenReadAsync(string key, long offset, CancellationToken ct) => inner.OpenReadAsync(key, offset, ct);
        public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);

        public Task CheckReachableAsync(CancellationToken ct) => inner.CheckReachableAsync(ct);
        public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
    }
}
