using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>libzstd streaming API (zstd.h, v1.4.0+ "advanced" API).</summary>
internal static unsafe partial class Zstd
{
    static Zstd() => NativeLibraries.EnsureResolver();

    /// <summary>ZSTD_cParameter (only the values used here).</summary>
    internal enum CParameter
    {
        CompressionLevel = 100,
        WindowLog = 101,
        HashLog = 102,
        ChainLog = 103,
        ChecksumFlag = 201,
        NbWorkers = 400,
    }

    /// <summary>ZSTD_EndDirective.</summary>
    internal enum EndDirective
    {
        Continue = 0,
        Flush = 1,
        End = 2,
    }

    /// <summary>ZSTD_compressionParameters: what a level means for an input of a given size.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CompressionParameters
    {
        public uint WindowLog;
        public uint ChainLog;
        public uint HashLog;
        public uint SearchLog;
        public uint MinMatch;
        public uint TargetLength;
        public int Strategy;
    }

    /// <summary>ZSTD_inBuffer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct InBuffer
    {
        public void* Src;
        public nuint Size;
        public nuint Pos;
    }

    /// <summary>ZSTD_outBuffer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OutBuffer
    {
        public void* Dst;
        public nuint Size;
        public nuint Pos;
    }

    /// <summary>ZSTD_bounds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Bounds
    {
        public nuint Error;
        public int LowerBound;
        public int UpperBound;
    }

    internal static bool IsError(nuint code) => ZSTD_isError(code) != 0;

    /// <summary>Refuses a level zstd does not have: zstd would clamp it silently, and it is a caller's mistake.</summary>
    internal static void CheckLevel(int level, [CallerArgumentExpression(nameof(level))] string? name = null)
    {
        int min = ZSTD_minCLevel();
        int max = ZSTD_maxCLevel();
        if (level < min || level > max)
        {
            throw new ArgumentOutOfRangeException(name, level, $"zstd level must be between {min} and {max}.");
        }
    }

    internal static string GetErrorName(nuint code) =>
        Marshal.PtrToStringUTF8((IntPtr)ZSTD_getErrorName(code)) ?? $"zstd error {code}";

    internal static string VersionString() => Marshal.PtrToStringUTF8((IntPtr)ZSTD_versionString()) ?? "?";

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    private static partial uint ZSTD_isError(nuint code);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    private static partial byte* ZSTD_getErrorName(nuint code);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    private static partial byte* ZSTD_versionString();

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial int ZSTD_minCLevel();

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial int ZSTD_maxCLevel();

    // --- compression ---

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial Bounds ZSTD_cParam_getBounds(CParameter param);

    /// <summary>The parameters <paramref name="compressionLevel"/> uses for an input of <paramref name="estimatedSrcSize"/> bytes.</summary>
    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial CompressionParameters ZSTD_getCParams(int compressionLevel, ulong estimatedSrcSize, nuint dictSize);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial ZstdCCtxHandle ZSTD_createCCtx();

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_freeCCtx(IntPtr cctx);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_CCtx_setParameter(ZstdCCtxHandle cctx, CParameter param, int value);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_compressStream2(ZstdCCtxHandle cctx, OutBuffer* output, InBuffer* input, EndDirective endOp);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_CStreamOutSize();

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_compressBound(nuint srcSize);

    /// <summary>One-shot compression into one frame with the context's parameters; the source size goes in the header.</summary>
    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_compress2(ZstdCCtxHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    // --- decompression ---

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial ZstdDCtxHandle ZSTD_createDCtx();

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_freeDCtx(IntPtr dctx);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_decompressStream(ZstdDCtxHandle dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(NativeLibraries.ZstdLibrary)]
    internal static partial nuint ZSTD_DStreamInSize();
}
