using System.Runtime.InteropServices;

namespace Vega.Lite.Storage.Local;

/// <summary>The file-descriptor calls local storage makes directly (see <see cref="StorageRoot"/>), and their constants.</summary>
internal static partial class Libc
{
    public const int ReadOnly = 0; // O_RDONLY
    public const int WriteOnly = 1; // O_WRONLY
    public const int Create = 0x40; // O_CREAT
    public const int Exclusive = 0x80; // O_EXCL: with O_CREAT, fail if the name exists
    public const int Directory = 0x10000; // O_DIRECTORY
    public const int CloseOnExec = 0x80000; // O_CLOEXEC
    public const int PathOnly = 0x200000; // O_PATH: a handle to look names up in, not to read
    public const int ExistenceOnly = 0; // F_OK: access() checks only that the name exists

    public const int ErrNoEntry = 2; // ENOENT
    public const int ErrInterrupted = 4; // EINTR
    public const int ErrExists = 17; // EEXIST
    public const int ErrNotDirectory = 20; // ENOTDIR
    public const int ErrInvalid = 22; // EINVAL
    public const int ErrNotImplemented = 38; // ENOSYS

    public const int FileMode = 0x1b6; // 0666 less the umask, as FileStream and Attic create files
    public const int DirectoryMode = 0x1ff; // 0777 less the umask, as Directory.CreateDirectory does
    public const uint NoReplace = 1; // RENAME_NOREPLACE

    /// <summary>An <see cref="IOException"/> for a failed call: what failed, the system's message and the errno.</summary>
    public static IOException Failure(string what, int errno) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    /// <summary><see cref="Failure(string, int)"/> with the errno of the last call made with <c>SetLastError</c>.</summary>
    public static IOException Failure(string what) => Failure(what, Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static unsafe partial int OpenAt(int directory, byte* path, int flags);

    /// <summary>openat with a mode, for <see cref="Create"/> (a variadic argument in C, passed as an int).</summary>
    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static unsafe partial int OpenAt(int directory, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    public static unsafe partial int RenameAt2(int fromDirectory, byte* from, int toDirectory, byte* to, uint flags);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true)]
    public static unsafe partial int RenameAt(int fromDirectory, byte* from, int toDirectory, byte* to);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static unsafe partial int MakeDirectoryAt(int directory, byte* path, int mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    public static unsafe partial int UnlinkAt(int directory, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "faccessat")]
    public static unsafe partial int AccessAt(int directory, byte* path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static unsafe partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
