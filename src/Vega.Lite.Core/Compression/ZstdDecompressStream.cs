using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Read-only stream that decompresses zstd from <c>inner</c>. Accepts any number (≥ 1) of
/// concatenated frames, including skippable ones, as Nix writes them. Input that ends inside a
/// frame, and empty input, throw <see cref="InvalidDataException"/> ("Truncated zstd input"),
/// as do corrupt data and trailing garbage. Not thread-safe.
/// </summary>
public sealed class ZstdDecompressStream : NativeDecompressStream
{
    private readonly ZstdDCtxHandle _dctx;
    private bool _outputFull;
    private bool _frameComplete;

    public ZstdDecompressStream(Stream inner, bool leaveOpen = false)
        : base(inner, leaveOpen)
    {
        _dctx = Zstd.ZSTD_createDCtx();
        if (_dctx.IsInvalid)
        {
            _dctx.Dispose();
            throw new OutOfMemoryException("ZSTD_createDCtx failed");
        }
    }

    private protected override int InputBufferSize => (int)Zstd.ZSTD_DStreamInSize();

    private protected override string TruncatedMessage => "Truncated zstd input";

    /// <summary>One <c>ZSTD_decompressStream</c> call from <paramref name="input"/> into <paramref name="output"/>.</summary>
    private protected override unsafe DecodeStatus Decode(ReadOnlySpan<byte> input, bool endOfInput, Span<byte> output, out int consumed, out int produced)
    {
        // zstd cannot tell where the data ends: once the input is exhausted and the decoder has
        // flushed everything (the last call did not fill its output), the data is complete only
        // if it stopped at a frame boundary.
        if (endOfInput && !_outputFull)
        {
            consumed = 0;
            produced = 0;
            return _frameComplete ? DecodeStatus.End : DecodeStatus.Truncated;
        }

        fixed (byte* src = input)
        fixed (byte* dst = output)
        {
            var inBuffer = new Zstd.InBuffer { Src = src, Size = (nuint)input.Length, Pos = 0 };
            var outBuffer = new Zstd.OutBuffer { Dst = dst, Size = (nuint)output.Length, Pos = 0 };
            nuint result = Zstd.ZSTD_decompressStream(_dctx, &outBuffer, &inBuffer);
            if (Zstd.IsError(result))
            {
                throw new InvalidDataException($"Invalid zstd data: {Zstd.GetErrorName(result)}");
            }

            // 0 = a frame was completely decoded and flushed. A call that consumed nothing and
            // returned a size hint (e.g. between frames) does not start a new frame.
            if (result == 0)
            {
                _frameComplete = true;
            }
            else if (inBuffer.Pos > 0)
            {
                _frameComplete = false;
            }

            _outputFull = outBuffer.Pos == outBuffer.Size;
            consumed = (int)inBuffer.Pos;
            produced = (int)outBuffer.Pos;
            return DecodeStatus.Ok;
        }
    }

    private protected override void ReleaseNative() => _dctx.Dispose();
}
