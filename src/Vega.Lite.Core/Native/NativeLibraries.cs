using System.Reflection;
using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>
/// Maps the logical library names used by the <c>[LibraryImport]</c> declarations to the
/// versioned sonames of Debian's runtime packages (<c>libsodium23</c>, <c>libzstd1</c>,
/// <c>liblzma5</c>), so that JIT runs (the net10.0 builds and tests) do not need the <c>-dev</c> symlinks.
/// </summary>
/// <remarks>
/// The published Native AOT binary links the static archives instead: <c>src/Vega.Lite/StaticNativeLibraries.targets</c>
/// names these logical names as <c>DirectPInvoke</c> items, so its calls are direct and this resolver is never
/// consulted (<c>scripts/check-static-binary.sh</c> runs it where no shared copy exists).
/// If the host registers its own <see cref="DllImportResolver"/> for this assembly before
/// <see cref="EnsureResolver"/> runs, that resolver should delegate to <see cref="Resolve"/>.
/// </remarks>
public static class NativeLibraries
{
    /// <summary>Logical name of libsodium in <c>[LibraryImport]</c>.</summary>
    public const string SodiumLibrary = "libsodium";

    /// <summary>Logical name of libzstd in <c>[LibraryImport]</c>.</summary>
    public const string ZstdLibrary = "libzstd";

    /// <summary>Logical name of liblzma in <c>[LibraryImport]</c>.</summary>
    public const string LzmaLibrary = "liblzma";

    private static readonly Lock Gate = new();
    private static volatile bool _registered;

    /// <summary>
    /// Registers the resolver for this assembly once. Safe to call any number of times from any thread.
    /// Called by the static constructors of the interop classes, so it always runs before their first P/Invoke.
    /// </summary>
    public static void EnsureResolver()
    {
        if (_registered)
        {
            return;
        }

        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The host already installed a resolver for this assembly; it is expected to
                // delegate to Resolve. Default probing applies otherwise.
            }

            _registered = true;
        }
    }

    /// <summary>The versioned file name tried for a logical name, or null for names this class does not know.</summary>
    public static string? GetSystemLibraryName(string logicalName) => logicalName switch
    {
        SodiumLibrary => "libsodium.so.23",
        ZstdLibrary => "libzstd.so.1",
        LzmaLibrary => "liblzma.so.5",
        _ => null,
    };

    /// <summary>
    /// A <see cref="DllImportResolver"/>: loads the versioned soname for a known logical name and returns
    /// <see cref="IntPtr.Zero"/> (meaning "use the default probing") when the name is unknown or loading fails.
    /// </summary>
    public static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? fileName = GetSystemLibraryName(libraryName);
        if (fileName is not null && NativeLibrary.TryLoad(fileName, assembly, searchPath, out IntPtr handle))
        {
            return handle;
        }

        return IntPtr.Zero;
    }

    /// <summary>Versions of the loaded native libraries, e.g. for a startup log line.</summary>
    public static string DescribeVersions() =>
        $"libsodium {Sodium.VersionString()}, libzstd {Zstd.VersionString()}, liblzma {Lzma.VersionString()}";
}
