using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Read-only stream that decompresses .xz from <c>inner</c> with liblzma
/// (<c>lzma_stream_decoder</c>, no memory limit, <c>LZMA_CONCATENATED</c>: concatenated streams
/// and stream padding are accepted). Truncated, empty, corrupt or trailing-garbage input throws
/// <see cref="InvalidDataException"/>. Not thread-safe.
/// </summary>
public sealed class XzDecompressStream : NativeDecompressStream
{
    private readonly LzmaStreamHandle _lzma;

    public unsafe XzDecompressStream(Stream inner, bool leaveOpen = false)
        : base(inner, leaveOpen)
    {
        _lzma = new LzmaStreamHandle();
        Lzma.Ret ret = Lzma.lzma_stream_decoder(_lzma.Stream, ulong.MaxValue, Lzma.Concatenated);
        if (ret != Lzma.Ret.Ok)
        {
            _lzma.Dispose();
            throw new InvalidOperationException($"lzma_stream_decoder failed: {Lzma.Describe(ret)}");
        }
    }

    private protected override int InputBufferSize => 64 * 1024;

    private protected override string TruncatedMessage => "Truncated xz input";

    /// <summary>One <c>lzma_code</c> call: LZMA_RUN while <c>inner</c> has data, LZMA_FINISH after its end.</summary>
    private protected override DecodeStatus Decode(ReadOnlySpan<byte> input, bool endOfInput, Span<byte> output, out int consumed, out int produced)
    {
        Lzma.Action action = endOfInput ? Lzma.Action.Finish : Lzma.Action.Run;
        Lzma.Ret ret = _lzma.Code(input, output, action, out consumed, out produced);
        // With LZMA_FINISH, LZMA_BUF_ERROR means no progress is possible: the input ended early.
        return ret switch
        {
            Lzma.Ret.Ok => DecodeStatus.Ok,
            Lzma.Ret.StreamEnd => DecodeStatus.End,
            Lzma.Ret.BufError when action == Lzma.Action.Finish => DecodeStatus.Truncated,
            _ => throw new InvalidDataException($"Invalid xz data: {Lzma.Describe(ret)}"),
        };
    }

    private protected override void ReleaseNative() => _lzma.Dispose();
}
