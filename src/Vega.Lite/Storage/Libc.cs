using System.Runtime.InteropServices;

namespace Vega.Lite.Storage;

/// <summary>The file-descriptor calls local storage makes directly (see <see cref="StorageRoot"/>), and their constants.</summary>
internal static partial class Libc
{
    public const int ReadOnly = 0; // O_RDONLY
    public const int Directory = 0x10000; // O_DIRECTORY
    public const int CloseOnExec = 0x80000; // O_CLOEXEC
    public const int PathOnly = 0x200000; // O_PATH: a handle to look names up in, not to read
    public const int ExistenceOnly = 0; // F_OK: access() checks only that the name exists

    public const int ErrNoEntry = 2; // ENOENT
    public const int ErrInterrupted = 4; // EINTR
    public const int ErrNotDirectory = 20; // ENOTDIR

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static unsafe partial int OpenAt(int directory, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "faccessat")]
    public static unsafe partial int AccessAt(int directory, byte* path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static unsafe partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
