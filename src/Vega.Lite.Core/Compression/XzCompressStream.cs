using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Write-only stream that compresses into <c>inner</c> as one .xz stream
/// (<c>lzma_easy_encoder</c>, CRC64 check, single-threaded). <see cref="Flush"/> does an
/// <c>LZMA_SYNC_FLUSH</c>; disposing finishes the stream (<c>LZMA_FINISH</c>). Not thread-safe.
/// </summary>
public sealed class XzCompressStream : NativeCompressStream
{
    private readonly LzmaStreamHandle _lzma;

    /// <param name="inner">Destination of the compressed bytes.</param>
    /// <param name="preset">xz preset 0–9 (xz's default is 6).</param>
    /// <param name="leaveOpen">Keep <paramref name="inner"/> open when this stream is disposed.</param>
    /// <param name="extreme">Add <c>LZMA_PRESET_EXTREME</c> (<c>xz -e</c>).</param>
    public unsafe XzCompressStream(Stream inner, int preset = 6, bool leaveOpen = false, bool extreme = false)
        : base(inner, leaveOpen)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preset, 9);

        _lzma = new LzmaStreamHandle();
        uint flags = (uint)preset | (extreme ? Lzma.PresetExtreme : 0);
        Lzma.Ret ret = Lzma.lzma_easy_encoder(_lzma.Stream, flags, Lzma.CheckCrc64);
        if (ret != Lzma.Ret.Ok)
        {
            _lzma.Dispose();
            throw new InvalidOperationException($"lzma_easy_encoder failed: {Lzma.Describe(ret)}");
        }
    }

    private protected override int OutputBufferSize => 64 * 1024;

    /// <summary>One <c>lzma_code</c> call (LZMA_RUN, LZMA_SYNC_FLUSH or LZMA_FINISH).</summary>
    /// <returns>True when liblzma reported LZMA_STREAM_END (a flush or finish is complete).</returns>
    private protected override bool Encode(ReadOnlySpan<byte> input, EncodeMode mode, Span<byte> output, out int consumed, out int produced)
    {
        Lzma.Action action = mode switch
        {
            EncodeMode.Run => Lzma.Action.Run,
            EncodeMode.Flush => Lzma.Action.SyncFlush,
            EncodeMode.Finish => Lzma.Action.Finish,
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };

        Lzma.Ret ret = _lzma.Code(input, output, action, out consumed, out produced);
        return ret switch
        {
            Lzma.Ret.Ok => false,
            Lzma.Ret.StreamEnd => true,
            _ => throw new IOException($"xz compression failed: {Lzma.Describe(ret)}"),
        };
    }

    private protected override void ReleaseNative() => _lzma.Dispose();
}
