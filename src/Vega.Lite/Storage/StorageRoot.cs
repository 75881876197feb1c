using System.Runtime.InteropServices;
using System.Text;

namespace Vega.Lite.Storage;

/// <summary>
/// The local storage's root directory and its 256 blob directories (<c>a/ab</c>), held open once used: a blob file is
/// checked and opened by its name alone in its directory (<c>faccessat</c>, <c>openat</c>), from a path built on the
/// stack. Serving a chunked NAR checks and opens every chunk file, thousands per NAR; by absolute path each one walked
/// the whole path again and allocated its string, and <see cref="FileStream"/> added an <c>fstat</c> and an
/// <c>fadvise</c> per file (perf: 15 % of a download's time). A name not found through a held directory is looked up
/// once more from the root, so a directory removed and made again under a running server is picked up anew.
/// Blobs are written the same way: created in <c>.tmp</c> (held open too) and renamed into place relative to the root,
/// where <see cref="FileStream"/>, <c>Directory.CreateDirectory</c> and <c>File.Move</c> by path allocated 1.8 KB and
/// made several more system calls per chunk.
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

    public unsafe StorageRoot(string path)
    {
        Path = path;
        Array.Fill(_directories, NotOpen);
        _fd = Libc.Open(path, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec);
        if (_fd < 0)
        {
            throw new IOException($"cannot open the storage directory {path} (errno {Marshal.GetLastPInvokeError()})");
        }
        fixed (byte* name = TemporaryName)
        {
            _temporary = Libc.OpenAt(_fd, name, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec | Libc.PathOnly);
        }
        if (_temporary < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Libc.Close(_fd);
            throw new IOException($"cannot open {path}/.tmp (errno {errno})");
        }
    }

    private static ReadOnlySpan<byte> TemporaryName => ".tmp\0"u8;

    /// <summary>Creates the temporary file of a valid key in <c>.tmp</c> (<c>KEY.tmp</c>), failing if it exists.</summary>
    public unsafe BlobWriteStream CreateTemporary(string key)
    {
        Span<byte> name = stackalloc byte[key.Length + 5];
        TemporaryNameOf(key, name);
        int fd;
        fixed (byte* p = name)
        {
            fd = Libc.OpenAt(_temporary, p, Libc.WriteOnly | Libc.Create | Libc.Exclusive | Libc.CloseOnExec, Libc.FileMode);
        }
        return fd >= 0
            ? new BlobWriteStream(fd)
            : throw new IOException($"cannot create a temporary file for blob {key} under {Path}/.tmp (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>
    /// Renames the temporary file of a valid key to <c>a/ab/KEY</c>, making its directories when missing. Never over an
    /// existing blob (<c>RENAME_NOREPLACE</c>) where the file system can refuse that; where it cannot, a plain rename,
    /// as every key is written once.
    /// </summary>
    public unsafe void CommitTemporary(string key)
    {
        Span<byte> name = stackalloc byte[key.Length + 5];
        TemporaryNameOf(key, name);
        Span<byte> path = stackalloc byte[key.Length + 6];
        WritePath(key, path);
        fixed (byte* from = name)
        fixed (byte* to = path)
        {
            for (var attempt = 0; ; attempt++)
            {
                var result = Libc.RenameAt2(_temporary, from, _fd, to, Libc.NoReplace);
                if (result != 0 && Marshal.GetLastPInvokeError() == Libc.ErrInvalid)
                {
                    result = Libc.RenameAt(_temporary, from, _fd, to);
                }
                if (result == 0)
                {
                    return;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.ErrNoEntry || attempt > 0)
                {
                    throw new IOException($"cannot move blob {key} into place under {Path} (errno {errno})");
                }
                MakeDirectories(path);
            }
        }
    }

    /// <summary>Removes the temporary file of a valid key, if there is one.</summary>
    public unsafe void DeleteTemporary(string key)
    {
        Span<byte> name = stackalloc byte[key.Length + 5];
        TemporaryNameOf(key, name);
        fixed (byte* p = name)
        {
            if (Libc.UnlinkAt(_temporary, p, 0) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Libc.ErrNoEntry)
            {
                throw new IOException($"cannot remove the temporary file of blob {key} under {Path}/.tmp (errno {errno})");
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
                    throw new IOException($"cannot make a blob directory under {Path} (errno {errno})");
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
        Refresh(key, directory);
        return true;
    }

    /// <summary>The blob file of a valid key opened for reading at <paramref name="offset"/>; null when it does not exist.</summary>
    public unsafe BlobFileStream? OpenRead(string key, long offset)
    {
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
                    : throw new IOException($"cannot open blob {key} under {Path} (errno {errno})");
            }
            Refresh(key, directory);
        }
        return new BlobFileStream(fd, offset);
    }

    /// <summary><c>syncfs</c> on the root's file system: everything written there so far reaches the disk.</summary>
    public void SyncFileSystem()
    {
        if (Libc.SyncFs(_fd) != 0)
        {
            throw new IOException($"syncfs of {Path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    public void Dispose()
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
    /// A name was found from the root but not through the held directory: that directory was replaced, so the next
    /// lookup opens it anew. The stale descriptor stays open: another thread may be looking a name up in it, and
    /// closing it could hand its number to an unrelated file. This happens only if someone replaces directories
    /// under a running server.
    /// </summary>
    private void Refresh(string key, int stale)
    {
        if (stale != NotOpen)
        {
            _ = Interlocked.CompareExchange(ref _directories[DirectoryIndex(key)], NotOpen, stale);
        }
    }

    private static int DirectoryIndex(string key) => (HexValue(key[0]) << 4) | HexValue(key[1]);

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'a' + 10;
}
