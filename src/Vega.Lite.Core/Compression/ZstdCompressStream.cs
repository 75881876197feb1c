using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Write-only stream that compresses into <c>inner</c> as one zstd frame (content checksum on).
/// <see cref="Flush"/> ends the current block so everything written so far can be decoded;
/// disposing ends the frame. Not thread-safe.
/// </summary>
public sealed class ZstdCompressStream : NativeCompressStream
{
    private readonly ZstdCCtxHandle _cctx;

    /// <param name="inner">Destination of the compressed bytes.</param>
    /// <param name="level">zstd level, <c>ZSTD_minCLevel()</c> (negative) to <c>ZSTD_maxCLevel()</c> (22); 0 means the default (3).</param>
    /// <param name="workers">
    /// 0 compresses on the calling thread; N ≥ 1 uses N zstd worker threads. Capped at <see cref="MaxWorkers"/>,
    /// which is 0 when libzstd was built without multithreading (Debian's static <c>libzstd.a</c>):
    /// compression then runs on the calling thread.
    /// </param>
    /// <param name="leaveOpen">Keep <paramref name="inner"/> open when this stream is disposed.</param>
    public ZstdCompressStream(Stream inner, int level, int workers = 0, bool leaveOpen = false)
        : base(inner, leaveOpen)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        Zstd.CheckLevel(level);

        workers = Math.Min(workers, MaxWorkers);
        _cctx = Zstd.ZSTD_createCCtx();
        if (_cctx.IsInvalid)
        {
            _cctx.Dispose();
            throw new OutOfMemoryException("ZSTD_createCCtx failed");
        }

        try
        {
            SetParameter(Zstd.CParameter.CompressionLevel, level, nameof(level));
            SetParameter(Zstd.CParameter.ChecksumFlag, 1, nameof(level));
            if (workers > 0)
            {
                SetParameter(Zstd.CParameter.NbWorkers, workers, nameof(workers));
            }
        }
        catch
        {
            _cctx.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The largest worker count the loaded libzstd accepts: 0 when it was built without multithreading
    /// (as Debian's static <c>libzstd.a</c> is; the shared <c>libzstd.so.1</c> allows 200).
    /// </summary>
    public static int MaxWorkers { get; } = QueryMaxWorkers();

    private protected override int OutputBufferSize => (int)Zstd.ZSTD_CStreamOutSize();

    private static int QueryMaxWorkers()
    {
        Zstd.Bounds bounds = Zstd.ZSTD_cParam_getBounds(Zstd.CParameter.NbWorkers);
        return Zstd.IsError(bounds.Error) ? 0 : Math.Max(0, bounds.UpperBound);
    }

    private void SetParameter(Zstd.CParameter parameter, int value, string paramName)
    {
        nuint result = Zstd.ZSTD_CCtx_setParameter(_cctx, parameter, value);
        if (Zstd.IsError(result))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"zstd rejected {parameter}={value}: {Zstd.GetErrorName(result)}");
        }
    }

    /// <summary>One <c>ZSTD_compressStream2</c> call; Flush/Finish are done once zstd reports 0 bytes left.</summary>
    private protected override unsafe bool Encode(ReadOnlySpan<byte> input, EncodeMode mode, Span<byte> output, out int consumed, out int produced)
    {
        Zstd.EndDirective directive = mode switch
        {
            EncodeMode.Run => Zstd.EndDirective.Continue,
            EncodeMode.Flush => Zstd.EndDirective.Flush,
            EncodeMode.Finish => Zstd.EndDirective.End,
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };

        fixed (byte* src = input)
        fixed (byte* dst = output)
        {
            var inBuffer = new Zstd.InBuffer { Src = src, Size = (nuint)input.Length, Pos = 0 };
            var outBuffer = new Zstd.OutBuffer { Dst = dst, Size = (nuint)output.Length, Pos = 0 };
            nuint result = Zstd.ZSTD_compressStream2(_cctx, &outBuffer, &inBuffer, directive);
            if (Zstd.IsError(result))
            {
                throw new IOException($"zstd compression failed: {Zstd.GetErrorName(result)}");
            }

            consumed = (int)inBuffer.Pos;
            produced = (int)outBuffer.Pos;
            return result == 0;
        }
    }

    private protected override void ReleaseNative() => _cctx.Dispose();
}
