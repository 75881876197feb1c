using System.Buffers;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Write-only stream that compresses into <c>inner</c> as one .xz stream
/// (<c>lzma_easy_encoder</c>, CRC64 check, single-threaded). <see cref="Flush"/> does an
/// <c>LZMA_SYNC_FLUSH</c>; disposing finishes the stream (<c>LZMA_FINISH</c>). Not thread-safe.
/// </summary>
public sealed class XzCompressStream : Stream
{
    private const int OutputBufferSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly LzmaStreamHandle _lzma;
    private byte[]? _output;
    private bool _disposed;

    /// <param name="inner">Destination of the compressed bytes.</param>
    /// <param name="preset">xz preset 0–9 (xz's default is 6).</param>
    /// <param name="leaveOpen">Keep <paramref name="inner"/> open when this stream is disposed.</param>
    /// <param name="extreme">Add <c>LZMA_PRESET_EXTREME</c> (<c>xz -e</c>).</param>
    public unsafe XzCompressStream(Stream inner, int preset = 6, bool leaveOpen = false, bool extreme = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanWrite)
        {
            throw new ArgumentException("The inner stream must be writable.", nameof(inner));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(preset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preset, 9);

        _inner = inner;
        _leaveOpen = leaveOpen;
        _lzma = new LzmaStreamHandle();
        uint flags = (uint)preset | (extreme ? Lzma.PresetExtreme : 0);
        Lzma.Ret ret = Lzma.lzma_easy_encoder(_lzma.Stream, flags, Lzma.CheckCrc64);
        if (ret != Lzma.Ret.Ok)
        {
            _lzma.Dispose();
            throw new InvalidOperationException($"lzma_easy_encoder failed: {Lzma.Describe(ret)}");
        }

        _output = ArrayPool<byte>.Shared.Rent(OutputBufferSize);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        byte[] output = Output;
        while (!buffer.IsEmpty)
        {
            Encode(buffer, Lzma.Action.Run, output, out int consumed, out int produced);
            if (produced > 0)
            {
                _inner.Write(output, 0, produced);
            }

            buffer = buffer[consumed..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] output = Output;
        while (!buffer.IsEmpty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Encode(buffer.Span, Lzma.Action.Run, output, out int consumed, out int produced);
            if (produced > 0)
            {
                await _inner.WriteAsync(output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }

            buffer = buffer[consumed..];
        }
    }

    /// <summary>Emits all buffered data (<c>LZMA_SYNC_FLUSH</c>) and flushes <c>inner</c>.</summary>
    public override void Flush()
    {
        byte[] output = Output;
        bool done;
        do
        {
            done = Encode(default, Lzma.Action.SyncFlush, output, out _, out int produced);
            if (produced > 0)
            {
                _inner.Write(output, 0, produced);
            }
        }
        while (!done);

        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        byte[] output = Output;
        bool done;
        do
        {
            done = Encode(default, Lzma.Action.SyncFlush, output, out _, out int produced);
            if (produced > 0)
            {
                await _inner.WriteAsync(output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }
        }
        while (!done);

        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (disposing && _output is not null)
            {
                byte[] output = _output;
                bool done;
                do
                {
                    done = Encode(default, Lzma.Action.Finish, output, out _, out int produced);
                    if (produced > 0)
                    {
                        _inner.Write(output, 0, produced);
                    }
                }
                while (!done);

                _inner.Flush();
            }
        }
        finally
        {
            ReleaseResources();
            if (disposing && !_leaveOpen)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_output is not null)
            {
                byte[] output = _output;
                bool done;
                do
                {
                    done = Encode(default, Lzma.Action.Finish, output, out _, out int produced);
                    if (produced > 0)
                    {
                        await _inner.WriteAsync(output.AsMemory(0, produced)).ConfigureAwait(false);
                    }
                }
                while (!done);

                await _inner.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            ReleaseResources();
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }

            GC.SuppressFinalize(this);
        }
    }

    private byte[] Output
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _output!;
        }
    }

    /// <summary>One <c>lzma_code</c> call into the start of <paramref name="output"/>.</summary>
    /// <returns>True when liblzma reported LZMA_STREAM_END (a flush or finish is complete).</returns>
    private unsafe bool Encode(ReadOnlySpan<byte> input, Lzma.Action action, byte[] output, out int consumed, out int produced)
    {
        bool addedRef = false;
        try
        {
            _lzma.DangerousAddRef(ref addedRef);
            LzmaStream* strm = _lzma.Stream;
            fixed (byte* src = input)
            fixed (byte* dst = output)
            {
                strm->NextIn = src;
                strm->AvailIn = (nuint)input.Length;
                strm->NextOut = dst;
                strm->AvailOut = (nuint)output.Length;

                Lzma.Ret ret = Lzma.lzma_code(strm, action);

                consumed = input.Length - (int)strm->AvailIn;
                produced = output.Length - (int)strm->AvailOut;
                strm->NextIn = null;
                strm->AvailIn = 0;
                strm->NextOut = null;
                strm->AvailOut = 0;

                return ret switch
                {
                    Lzma.Ret.Ok => false,
                    Lzma.Ret.StreamEnd => true,
                    _ => throw new IOException($"xz compression failed: {Lzma.Describe(ret)}"),
                };
            }
        }
        finally
        {
            if (addedRef)
            {
                _lzma.DangerousRelease();
            }
        }
    }

    private void ReleaseResources()
    {
        _lzma.Dispose();
        byte[]? output = _output;
        _output = null;
        if (output is not null)
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
