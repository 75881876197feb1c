using System.Buffers;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Read-only stream that decompresses .xz from <c>inner</c> with liblzma
/// (<c>lzma_stream_decoder</c>, no memory limit, <c>LZMA_CONCATENATED</c>: concatenated streams
/// and stream padding are accepted). Truncated, empty, corrupt or trailing-garbage input throws
/// <see cref="InvalidDataException"/>. Not thread-safe.
/// </summary>
public sealed class XzDecompressStream : Stream
{
    private const int InputBufferSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly LzmaStreamHandle _lzma;
    private byte[]? _input;
    private int _inputPos;
    private int _inputEnd;
    private bool _innerEof;
    private bool _needInput = true;
    private bool _streamEnd;
    private bool _disposed;

    public unsafe XzDecompressStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead)
        {
            throw new ArgumentException("The inner stream must be readable.", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _lzma = new LzmaStreamHandle();
        Lzma.Ret ret = Lzma.lzma_stream_decoder(_lzma.Stream, ulong.MaxValue, Lzma.Concatenated);
        if (ret != Lzma.Ret.Ok)
        {
            _lzma.Dispose();
            throw new InvalidOperationException($"lzma_stream_decoder failed: {Lzma.Describe(ret)}");
        }

        _input = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        byte[] input = Input;
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_streamEnd)
        {
            if (NeedsRefill)
            {
                Refilled(_inner.Read(input, 0, input.Length));
            }

            int produced = Decode(buffer);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] input = Input;
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_streamEnd)
        {
            if (NeedsRefill)
            {
                Refilled(await _inner.ReadAsync(input, cancellationToken).ConfigureAwait(false));
            }

            int produced = Decode(buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
            ReleaseResources();
            if (disposing && !_leaveOpen)
            {
                _inner.Dispose();
            }
        }
        finally
        {
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
        ReleaseResources();
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    private byte[] Input
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _input!;
        }
    }

    private bool NeedsRefill => _inputPos == _inputEnd && _needInput && !_innerEof;

    private void Refilled(int count)
    {
        if (count == 0)
        {
            _innerEof = true;
        }
        else
        {
            _inputPos = 0;
            _inputEnd = count;
        }
    }

    /// <summary>One <c>lzma_code</c> call: LZMA_RUN while <c>inner</c> has data, LZMA_FINISH after its end.</summary>
    private unsafe int Decode(Span<byte> destination)
    {
        Lzma.Action action = _innerEof && _inputPos == _inputEnd ? Lzma.Action.Finish : Lzma.Action.Run;
        bool addedRef = false;
        try
        {
            _lzma.DangerousAddRef(ref addedRef);
            LzmaStream* strm = _lzma.Stream;
            fixed (byte* src = _input)
            fixed (byte* dst = destination)
            {
                nuint availIn = (nuint)(_inputEnd - _inputPos);
                strm->NextIn = src + _inputPos;
                strm->AvailIn = availIn;
                strm->NextOut = dst;
                strm->AvailOut = (nuint)destination.Length;

                Lzma.Ret ret = Lzma.lzma_code(strm, action);

                _inputPos += (int)(availIn - strm->AvailIn);
                int produced = destination.Length - (int)strm->AvailOut;
                _needInput = strm->AvailOut != 0;
                strm->NextIn = null;
                strm->AvailIn = 0;
                strm->NextOut = null;
                strm->AvailOut = 0;

                switch (ret)
                {
                    case Lzma.Ret.Ok:
                        return produced;
                    case Lzma.Ret.StreamEnd:
                        _streamEnd = true;
                        return produced;
                    case Lzma.Ret.BufError when action == Lzma.Action.Finish:
                        throw new InvalidDataException("Truncated xz input");
                    default:
                        throw new InvalidDataException($"Invalid xz data: {Lzma.Describe(ret)}");
                }
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
        byte[]? input = _input;
        _input = null;
        if (input is not null)
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}
