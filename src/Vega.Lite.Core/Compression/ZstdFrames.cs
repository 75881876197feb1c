using Vega.Lite.Core.Native;
using Vega.Lite.Core.Pooling;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// One-shot zstd compression of a buffer into one frame (content size and checksum in it), for NAR chunks, with
/// pooled contexts: making a context per chunk costs more than compressing a small chunk at Attic's level 8.
/// </summary>
/// <remarks>
/// The tables are capped at what the level uses for <c>tableSize</c> bytes, so a context is made once instead of
/// again whenever chunk sizes cross a table-size step; a larger input is still one valid frame, compressed in the
/// smaller tables and window (README, Benchmarks).
/// </remarks>
public static class ZstdFrames
{
    private static readonly IdlePool<(ZstdCCtxHandle Context, Settings Settings)> Idle = new(MaxConcurrent);

    private readonly record struct Settings(int Level, int TableSize);

    /// <summary>
    /// Compressions worth running at once: one per core, as each is bound by the processor. Callers that hold no more
    /// than this many at once never make a context beyond those kept; more make and free their own.
    /// </summary>
    public static int MaxConcurrent => Environment.ProcessorCount;

    /// <summary>The largest frame <paramref name="length"/> bytes can become.</summary>
    public static int MaxCompressedLength(int length) => checked((int)Zstd.ZSTD_compressBound((nuint)length));

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxCompressedLength"/> long) with the tables <paramref name="level"/> uses for inputs of
    /// <paramref name="tableSize"/> bytes; returns the frame's length. Thread-safe.</summary>
    public static unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level, int tableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tableSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxCompressedLength(source.Length), nameof(destination));
        var settings = new Settings(level, tableSize);
        var context = Rent(settings);
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
        if (!Idle.TryKeep((context, settings)))
        {
            context.Dispose();
        }
        return (int)written;
    }

    private static ZstdCCtxHandle Rent(Settings settings)
    {
        while (Idle.TryTake(out var idle))
        {
            if (idle.Settings == settings)
            {
                return idle.Context;
            }
            idle.Context.Dispose(); // the settings changed (another configuration in the same process, as in tests)
        }
        Zstd.CheckLevel(settings.Level); // checked when a context is made: a pooled one's level was checked then
        var context = Zstd.ZSTD_createCCtx();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new OutOfMemoryException("ZSTD_createCCtx failed");
        }
        Set(context, Zstd.CParameter.CompressionLevel, settings.Level);
        // The sizes of the window and the tables, which decide the context's size, set explicitly: they win over what
        // the level picks for a larger input, and zstd still shrinks them for a smaller one. The search itself stays
        // the level's for each input.
        var capped = Zstd.ZSTD_getCParams(settings.Level, (ulong)settings.TableSize, 0);
        Set(context, Zstd.CParameter.WindowLog, (int)capped.WindowLog);
        Set(context, Zstd.CParameter.ChainLog, (int)capped.ChainLog);
        Set(context, Zstd.CParameter.HashLog, (int)capped.HashLog);
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
