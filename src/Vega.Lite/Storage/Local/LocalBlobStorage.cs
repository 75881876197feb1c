namespace Vega.Lite.Storage.Local;

/// <summary>
/// Blobs as files under a root, in Attic's layout: <c>ROOT/a/ab/ab…chunk</c> with <c>ROOT/VERSION</c> holding 1.
/// Writes go to <c>ROOT/.tmp</c> and are renamed into place, so a blob is seen whole or not at all. Durability comes
/// from one <c>syncfs</c> per NAR (<see cref="FlushAsync"/>), before the NAR is recorded: a crash before it may leave
/// blobs that are empty or missing, but nothing refers to them and garbage collection removes them.
/// </summary>
internal sealed class LocalBlobStorage : IBlobStorage, IDisposable
{
    private readonly string _root;
    private readonly string _tmp;
    private readonly StorageRoot _handle;

    public LocalBlobStorage(string root)
    {
        _root = Path.GetFullPath(root);
        _tmp = Path.Combine(_root, ".tmp");
        Directory.CreateDirectory(_tmp);
        UpgradeLayout(_root);
        RemoveAbandonedWrites(DateTime.UtcNow - AbandonedAfter);
        _handle = new StorageRoot(_root);
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// Attic's layout versions (docs/attic-database.md §1.4): no <c>VERSION</c> file is version 0, blobs flat in the root,
    /// as atticd wrote them before 2023; version 1 puts <c>&lt;n&gt;</c> at <c>n[0]/n[0..2]/n</c>. Like atticd at start, this
    /// moves version-0 blobs into place and then writes 1; a version it does not know stops the start.
    /// </summary>
    private static void UpgradeLayout(string root)
    {
        var version = Path.Combine(root, "VERSION");
        if (File.Exists(version))
        {
            var text = File.ReadAllText(version).Trim();
            if (text != "1")
            {
                throw new Config.ConfigException($"storage.path \"{root}\" has layout VERSION \"{Core.Nix.Printable.Truncate(text)}\"; this server knows Attic's 1");
            }
            return;
        }
        foreach (var file in new DirectoryInfo(root).EnumerateFiles().Where(f => BlobKey.IsValid(f.Name)))
        {
            var directory = Path.Combine(root, file.Name[..1], file.Name[..2]);
            Directory.CreateDirectory(directory);
            file.MoveTo(Path.Combine(directory, file.Name));
        }
        File.WriteAllText(version, "1");
    }

    /// <summary>A temp file untouched this long is a write cut by a crash; younger ones may belong to a live process.</summary>
    internal static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>Deletes temp files last written before <paramref name="cutoff"/>: never committed, so nothing refers to them.</summary>
    internal void RemoveAbandonedWrites(DateTime cutoff)
    {
        foreach (var file in new DirectoryInfo(_tmp).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < cutoff)
            {
                file.Delete();
            }
        }
    }

    public Task<IBlobUpload> BeginUploadAsync(string key, CancellationToken ct)
    {
        var valid = BlobKey.Validated(key);
        return Task.FromResult<IBlobUpload>(new LocalUpload(_handle, valid, _handle.CreateTemporary(valid)));
    }

    public Task<Stream?> OpenReadAsync(string key, long offset, CancellationToken ct) =>
        Task.FromResult<Stream?>(_handle.OpenRead(BlobKey.Validated(key), offset));

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(_handle.Exists(BlobKey.Validated(key)));

    /// <summary>The directory and its layout's <c>VERSION</c> are still there (a volume unmounted under the server is not).</summary>
    public Task CheckReachableAsync(CancellationToken ct) => File.Exists(Path.Combine(_root, "VERSION"))
        ? Task.CompletedTask
        : throw new IOException($"{_root}/VERSION is gone: the storage directory is missing or not mounted");

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var valid = BlobKey.Validated(key);
        _handle.DeleteTemporary(valid); // a write of this key cut short by a crash
        _handle.Delete(valid); // Attic #361: a blob already gone counts as deleted
        return Task.CompletedTask;
    }

    /// <summary>The file of a key, for tests to look at; the key is validated first, so no path can leave the root.</summary>
    internal string PathOf(string key)
    {
        var valid = BlobKey.Validated(key);
        return Path.Combine(_root, valid[..1], valid[..2], valid);
    }

    /// <summary>
    /// <c>syncfs</c> on the storage's file system: the data, the renames and the new directories of every blob
    /// committed so far reach the disk in one call. On the thread pool, as it blocks until the disk has them.
    /// </summary>
    public Task FlushAsync(CancellationToken ct) => Task.Run(_handle.SyncFileSystem, ct);

    /// <summary>A blob written to <c>.tmp/KEY.tmp</c> and renamed to <c>a/ab/KEY</c> on commit, all by descriptor.</summary>
    private sealed class LocalUpload(StorageRoot root, string key, BlobWriteStream stream) : IBlobUpload
    {
        private bool _committed;

        public Stream Content => stream;

        public Task CommitAsync(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            stream.CloseChecked();
            root.CommitTemporary(key);
            _committed = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                stream.Dispose();
                root.DeleteTemporary(key);
            }
            return ValueTask.CompletedTask;
        }
    }
}
