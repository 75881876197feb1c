using System.Collections.Concurrent;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// One-shot zstd compression of a buffer into one frame (content size and checksum in it), for NAR chunks. Knowing the
/// size up front lets zstd size its tables to the chunk instead of to a stream, and contexts are pooled instead of
/// made per chunk: at Attic's default level 8 that is most of the cost of a 64 KiB chunk.
/// </summary>
public static class ZstdFrames
{
    private static readonly ConcurrentBag<(ZstdCCtxHandle Context, int Level)> Idle = [];

    /// <summary>
    /// Compressions worth running at once: one per core, as each is bound by the processor. Callers that hold no more
    /// than this many at once never make a context beyond those kept; more make and free their own.
    /// </summary>
    public static int MaxConcurrent => Environment.ProcessorCount;

    private static int MaxIdle => MaxConcurrent;

    /// <summary>The largest frame <paramref name="length"/> bytes can become.</summary>
    public static int MaxCompressedLength(int length) => checked((int)Zstd.ZSTD_compressBound((nuint)length));

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxCompressedLength"/> long); returns the frame's length. Thread-safe.</summary>
    public static unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxCompressedLength(source.Length), nameof(destination));
        if (level < Zstd.ZSTD_minCLevel() || level > Zstd.ZSTD_maxCLevel())
        {
            // zstd would clamp it silently; a level it does not have is a caller's mistake, as in ZstdCompressStream.
            throw new ArgumentOutOfRangeException(nameof(level), level, $"zstd level must be between {Zstd.ZSTD_minCLevel()} and {Zstd.ZSTD_maxCLevel()}.");
        }
        var context = Rent(level);
        nuint written;
        try
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                written = Zstd.ZSTD_compress2(context, dst, (nuint)destination.Length, src, (nuint)source.Length);
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }
        if (Zstd.IsError(written))
        {
            context.Dispose();
            throw new InvalidOperationException($"zstd compression failed: {Zstd.GetErrorName(written)}");
        }
        if (Idle.Count < MaxIdle)
        {
            Idle.Add((context, level));
        }
        else
        {
            context.Dispose();
        }
        return (int)written;
    }

    private static ZstdCCtxHandle Rent(int level)
    {
        while (Idle.TryTake(out var idle))
        {
            if (idle.Level == level)
            {
                return idle.Context;
            }
            idle.Context.Dispose(); // the level changed (another configuration in the same process, as in tests)
        }
        var context = Zstd.ZSTD_createCCtx();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new OutOfMemoryException("ZSTD_createCCtx failed");
        }
        Set(context, Zstd.CParameter.CompressionLevel, level);
        Set(context, Zstd.CParameter.ChecksumFlag, 1);
        return context;
    }

    private static void Set(ZstdCCtxHandle context, Zstd.CParameter parameter, int value)
    {
        var result = Zstd.ZSTD_CCtx_setParameter(context, parameter, value);
        if (Zstd.IsError(result))
        {
            context.Dispose();
            throw new ArgumentOutOfRangeException(nameof(value), value, $"zstd rejected {parameter}={value}: {Zstd.GetErrorName(result)}");
        }
    }
}
