using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>liblzma .xz stream coder API (lzma/base.h, lzma/container.h).</summary>
internal static unsafe partial class Lzma
{
    /// <summary>LZMA_CONCATENATED: decode concatenated .xz streams as one.</summary>
    internal const uint Concatenated = 0x08;

    /// <summary>LZMA_CHECK_CRC64.</summary>
    internal const int CheckCrc64 = 4;

    /// <summary>LZMA_PRESET_EXTREME.</summary>
    internal const uint PresetExtreme = 0x80000000;

    static Lzma() => NativeLibraries.EnsureResolver();

    /// <summary>lzma_ret.</summary>
    internal enum Ret
    {
        Ok = 0,
        StreamEnd = 1,
        NoCheck = 2,
        UnsupportedCheck = 3,
        GetCheck = 4,
        MemError = 5,
        MemlimitError = 6,
        FormatError = 7,
        OptionsError = 8,
        DataError = 9,
        BufError = 10,
        ProgError = 11,
        SeekNeeded = 12,
    }

    /// <summary>lzma_action.</summary>
    internal enum Action
    {
        Run = 0,
        SyncFlush = 1,
        FullFlush = 2,
        Finish = 3,
        FullBarrier = 4,
    }

    internal static string Describe(Ret ret) => ret switch
    {
        Ret.MemError => "cannot allocate memory",
        Ret.MemlimitError => "memory usage limit reached",
        Ret.FormatError => "file format not recognized",
        Ret.OptionsError => "unsupported options",
        Ret.DataError => "compressed data is corrupt",
        Ret.BufError => "unexpected end of input",
        Ret.ProgError => "programming error",
        _ => $"lzma_ret {(int)ret}",
    };

    internal static string VersionString() => Marshal.PtrToStringUTF8((IntPtr)lzma_version_string()) ?? "?";

    [LibraryImport(NativeLibraries.LzmaLibrary)]
    private static partial byte* lzma_version_string();

    [LibraryImport(NativeLibraries.LzmaLibrary)]
    internal static partial Ret lzma_stream_decoder(LzmaStream* strm, ulong memlimit, uint flags);

    [LibraryImport(NativeLibraries.LzmaLibrary)]
    internal static partial Ret lzma_easy_encoder(LzmaStream* strm, uint preset, int check);

    [LibraryImport(NativeLibraries.LzmaLibrary)]
    internal static partial Ret lzma_code(LzmaStream* strm, Action action);

    [LibraryImport(NativeLibraries.LzmaLibrary)]
    internal static partial void lzma_end(LzmaStream* strm);
}
