using System.Runtime.InteropServices;
using System.Text;

namespace Vega.Lite.Storage.Local;

/// <summary>
/// The local storage's root directory and its 256 blob directories (<c>a/ab</c>), held open once used, so a blob is
/// checked, opened, created in <c>.tmp</c> and renamed into place by its name alone (<c>faccessat</c>, <c>openat</c>,
/// <c>renameat2</c>), not by absolute path: a chunked NAR touches thousands of files. A name not found through a held
/// directory is looked up again from the root; disposal closes the descriptors after the last call using them, and
/// later calls throw <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class StorageRoot : IDisposable
{
    private const int NameStart = 5; // after "a/ab/"
    private const int NotOpen = -1;

    private readonly int _fd;

    /// <summary><c>.tmp</c>, where blobs are written before they are renamed into place.</summary>
    private readonly int _temporary;

    /// <summary>The blob directories' descriptors by their two hex digits; <see cref="NotOpen"/> until opened.</summary>
    private readonly int[] _directories = new int[256];

    /// <summary>Calls using the descriptors now, plus <see cref="Disposed"/> once disposed.</summary>
    private int _users;

    private const int Disposed = int.MinValue;

    /// <summary>Set once the file system refused <c>RENAME_NOREPLACE</c>: a plain rename from then on.</summary>
    private volatile bool _plainRename;

    public unsafe StorageRoot(string path)
    {
        Path = path;
        Array.Fill(_directories, NotOpen);
        _fd = Libc.Open(path, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec);
        if (_fd < 0)
        {
            throw Libc.Failure($"cannot open the storage directory {path}");
        }
        fixed (byte* name = TemporaryName)
        {
            _temporary = Libc.OpenAt(_fd, name, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec | Libc.PathOnly);
        }
        if (_temporary < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Libc.Close(_fd);
            throw Libc.Failure($"cannot open {path}/.tmp", errno);
        }
    }

    private static ReadOnlySpan<byte> TemporaryName => ".tmp\0"u8;

    /// <summary>Creates the temporary file of a valid key in <c>.tmp</c> (<c>KEY.tmp</c>), failing if it exists.</summary>
    public unsafe BlobWriteStream CreateTemporary(string key)
    {
        using var use = Use();
        Span<byte> name = stackalloc byte[key.Length + 5];
        TemporaryNameOf(key, name);
        int fd;
        fixed (byte* p = name)
        {
            fd = Libc.OpenAt(_temporary, p, Libc.WriteOnly | Libc.Create | Libc.Exclusive | Libc.CloseOnExec, Libc.FileMode);
        }
        return fd >= 0
            ? new BlobWriteStream(fd)
            : throw Libc.Failure($"cannot create a temporary file for blob {key} under {Path}/.tmp");
    }

    /// <summary>
    /// Renames the temporary file of a valid key to <c>a/ab/KEY</c>, making its directories when missing. Never over an
    /// existing blob (<c>RENAME_NOREPLACE</c>) where the kernel and file system can refuse that; where they cannot
    /// (<c>EINVAL</c>, <c>ENOSYS</c>), a plain rename from then on, as every key is written once.
    /// </summary>
    public unsafe void CommitTemporary(string key)
    {
        using var use = Use();
        Span<byte> name = stackalloc byte[key.Length + 5];
        TemporaryNameOf(key, name);
        Span<byte> path = stackalloc byte[key.Length + 6];
        WritePath(key, path);
        fixed (byte* from = name)
        fixed (byte* to = path)
        {
            for (var attempt = 0; ; attempt++)
            {
                var result = _plainRename ? Libc.RenameAt(_temporary, from, _fd, to) : Libc.RenameAt2(_temporary, from, _fd, to, Libc.NoReplace);
                if (result != 0 && !_plainRename && Marshal.GetLastPInvokeError() is Libc.ErrInvalid or Libc.ErrNotImplemented)
                {
                    _plainRename = true;
                    result = Libc.RenameAt(_temporary, from, _fd, to);
                }
                if (result == 0)
                {
                    return;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.ErrNoEntry || attempt > 0)
                {
                    throw Libc.Failure($"cannot move blob {key} into place under {Path}", errno);
                }
                MakeDirectories(path);
            }
        }
    }

    /// <summary>Removes the temporary file of a valid key, if there is one.</summary>
    public unsafe void DeleteTemporary(string key)
    {
        using var use = Use();
        Span<byte> name = stackalloc byte[key.Length + 5];
        TemporaryNameOf(key, name);
        fixed (byte* p = name)
        {
            if (Libc.UnlinkAt(_temporary, p, 0) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Libc.ErrNoEntry)
            {
                throw Libc.Failure($"cannot remove the temporary file of blob {key} under {Path}/.tmp", errno);
            }
        }
    }

    /// <summary>Removes the blob file of a valid key; one already gone, or whose directory never existed, counts as removed.</summary>
    public unsafe void Delete(string key)
    {
        using var use = Use();
        Span<byte> path = stackalloc byte[key.Length + 6];
        WritePath(key, path);
        fixed (byte* p = path)
        {
            if (Libc.UnlinkAt(_fd, p, 0) != 0 && Marshal.GetLastPInvokeError() is var errno && errno is not (Libc.ErrNoEntry or Libc.ErrNotDirectory))
            {
                throw Libc.Failure($"cannot remove blob {key} under {Path}", errno);
            }
        }
    }

    /// <summary>Makes <c>a</c> and <c>a/ab</c> of a path from <see cref="WritePath"/>, each unless it exists.</summary>
    private unsafe void MakeDirectories(Span<byte> path)
    {
        foreach (var end in (ReadOnlySpan<int>)[1, 4])
        {
            var saved = path[end];
            path[end] = 0;
            fixed (byte* p = path)
            {
                if (Libc.MakeDirectoryAt(_fd, p, Libc.DirectoryMode) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Libc.ErrExists)
                {
                    path[end] = saved;
                    throw Libc.Failure($"cannot make a blob directory under {Path}", errno);
                }
            }
            path[end] = saved;
        }
    }

    /// <summary>Writes <c>KEY.tmp</c>, NUL-terminated, into <paramref name="name"/> (keys are ASCII).</summary>
    private static void TemporaryNameOf(string key, Span<byte> name)
    {
        var written = Encoding.ASCII.GetBytes(key, name);
        ".tmp\0"u8.CopyTo(name[written..]);
    }

    public string Path { get; }

    /// <summary>Whether the blob file of a valid key exists.</summary>
    public unsafe bool Exists(string key)
    {
        using var use = Use();
        Span<byte> path = stackalloc byte[key.Length + 6];
        var directory = Locate(key, path);
        var name = path[NameStart..];
        fixed (byte* p = name)
        {
            if (directory != NotOpen && Libc.AccessAt(directory, p, Libc.ExistenceOnly, 0) == 0)
            {
                return true;
            }
        }
        fixed (byte* p = path)
        {
            if (Libc.AccessAt(_fd, p, Libc.ExistenceOnly, 0) != 0)
            {
                return false;
            }
        }
        Refresh(key, directory, path);
        return true;
    }

    /// <summary>The blob file of a valid key opened for reading at <paramref name="offset"/>; null when it does not exist.</summary>
    public unsafe BlobFileStream? OpenRead(string key, long offset)
    {
        using var use = Use();
        Span<byte> path = stackalloc byte[key.Length + 6];
        var directory = Locate(key, path);
        var name = path[NameStart..];
        int fd = -1;
        if (directory != NotOpen)
        {
            fixed (byte* p = name)
            {
                fd = Libc.OpenAt(directory, p, Libc.ReadOnly | Libc.CloseOnExec);
            }
        }
        if (fd < 0)
        {
            fixed (byte* p = path)
            {
                fd = Libc.OpenAt(_fd, p, Libc.ReadOnly | Libc.CloseOnExec);
            }
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is Libc.ErrNoEntry or Libc.ErrNotDirectory
                    ? null
                    : throw Libc.Failure($"cannot open blob {key} under {Path}", errno);
            }
            Refresh(key, directory, path);
        }
        return new BlobFileStream(fd, offset);
    }

    /// <summary><c>syncfs</c> on the root's file system: everything written there so far reaches the disk.</summary>
    public void SyncFileSystem()
    {
        using var use = Use();
        if (Libc.SyncFs(_fd) != 0)
        {
            throw Libc.Failure($"syncfs of {Path} failed");
        }
    }

    /// <summary>Closes the descriptors now if no call is using them, else when the last one returns. Idempotent.</summary>
    public void Dispose()
    {
        while (true)
        {
            var users = Volatile.Read(ref _users);
            if (users < 0)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _users, users | Disposed, users) == users)
            {
                if (users == 0)
                {
                    CloseAll();
                }
                return;
            }
        }
    }

    /// <summary>Counts a call in for as long as the returned value is not disposed; throws once the root is disposed.</summary>
    private Usage Use()
    {
        while (true)
        {
            var users = Volatile.Read(ref _users);
            ObjectDisposedException.ThrowIf(users < 0, this);
            if (Interlocked.CompareExchange(ref _users, users + 1, users) == users)
            {
                return new Usage(this);
            }
        }
    }

    private readonly struct Usage(StorageRoot root) : IDisposable
    {
        public void Dispose()
        {
            if (Interlocked.Decrement(ref root._users) == Disposed)
            {
                root.CloseAll(); // disposed while this call ran, and it was the last
            }
        }
    }

    private void CloseAll()
    {
        foreach (var directory in _directories)
        {
            if (directory != NotOpen)
            {
                _ = Libc.Close(directory);
            }
        }
        _ = Libc.Close(_temporary);
        _ = Libc.Close(_fd);
    }

    /// <summary>
    /// Writes <c>a/ab/KEY</c>, NUL-terminated, into <paramref name="path"/> (keys are ASCII) and returns the held
    /// descriptor of <c>a/ab</c>, opening it if it exists (<see cref="NotOpen"/> if it does not); <c>KEY</c> starts at <see cref="NameStart"/>.
    /// </summary>
    private unsafe int Locate(string key, Span<byte> path)
    {
        WritePath(key, path);
        ref var slot = ref _directories[DirectoryIndex(key)];
        var directory = Volatile.Read(ref slot);
        if (directory == NotOpen)
        {
            path[4] = 0;
            fixed (byte* p = path)
            {
                directory = Libc.OpenAt(_fd, p, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec | Libc.PathOnly);
            }
            path[4] = (byte)'/';
            if (directory < 0)
            {
                return NotOpen;
            }
            var held = Interlocked.CompareExchange(ref slot, directory, NotOpen);
            if (held != NotOpen)
            {
                _ = Libc.Close(directory); // another thread opened it first
                directory = held;
            }
        }
        return directory;
    }

    /// <summary>Writes <c>a/ab/KEY</c>, NUL-terminated, into <paramref name="path"/> (keys are ASCII).</summary>
    private static void WritePath(string key, Span<byte> path)
    {
        path[0] = (byte)key[0];
        path[1] = (byte)'/';
        path[2] = (byte)key[0];
        path[3] = (byte)key[1];
        path[4] = (byte)'/';
        var written = Encoding.ASCII.GetBytes(key, path[5..]);
        path[5 + written] = 0;
    }

    /// <summary>
    /// A name was found from the root but not through the held directory. If it is still not found through that
    /// directory, the directory was replaced, and the next lookup opens it anew; if it is now (the name appeared between
    /// the two lookups), the held one is kept. A dropped descriptor stays open: another thread may be looking a name up
    /// in it, and closing it could hand its number to an unrelated file. So one descriptor is left behind per
    /// directory replaced under a running server, which only someone working on the storage by hand does.
    /// </summary>
    private unsafe void Refresh(string key, int held, ReadOnlySpan<byte> path)
    {
        if (held == NotOpen)
        {
            return;
        }
        fixed (byte* name = path[NameStart..])
        {
            if (Libc.AccessAt(held, name, Libc.ExistenceOnly, 0) == 0)
            {
                return;
            }
        }
        _ = Interlocked.CompareExchange(ref _directories[DirectoryIndex(key)], NotOpen, held);
    }

    private static int DirectoryIndex(string key) => (HexValue(key[0]) << 4) | HexValue(key[1]);

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'a' + 10;
}
