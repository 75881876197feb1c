using System.Buffers;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Read-only stream that decompresses zstd from <c>inner</c>. Accepts any number (≥ 1) of
/// concatenated frames, including skippable ones, as Nix writes them. Input that ends inside a
/// frame, and empty input, throw <see cref="InvalidDataException"/> ("Truncated zstd input"),
/// as do corrupt data and trailing garbage. Not thread-safe.
/// </summary>
public sealed class ZstdDecompressStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ZstdDCtxHandle _dctx;
    private byte[]? _input;
    private int _inputPos;
    private int _inputEnd;
    private bool _innerEof;
    private bool _needInput = true;
    private bool _frameComplete;
    private bool _disposed;

    public ZstdDecompressStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead)
        {
            throw new ArgumentException("The inner stream must be readable.", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _dctx = Zstd.ZSTD_createDCtx();
        if (_dctx.IsInvalid)
        {
            _dctx.Dispose();
            throw new OutOfMemoryException("ZSTD_createDCtx failed");
        }

        _input = ArrayPool<byte>.Shared.Rent((int)Zstd.ZSTD_DStreamInSize());
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

        while (true)
        {
            if (NeedsRefill)
            {
                if (_innerEof)
                {
                    return Finish();
                }

                Refilled(_inner.Read(input, 0, input.Length));
                continue;
            }

            int produced = Decompress(buffer);
            if (produced > 0)
            {
                return produced;
            }
        }
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

        while (true)
        {
            if (NeedsRefill)
            {
                if (_innerEof)
                {
                    return Finish();
                }

                Refilled(await _inner.ReadAsync(input, cancellationToken).ConfigureAwait(false));
                continue;
            }

            int produced = Decompress(buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
        }
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

    /// <summary>All buffered input consumed and the decoder has flushed what it could from it.</summary>
    private bool NeedsRefill => _inputPos == _inputEnd && _needInput;

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

    private int Finish()
    {
        if (!_frameComplete)
        {
            throw new InvalidDataException("Truncated zstd input");
        }

        return 0;
    }

    /// <summary>One <c>ZSTD_decompressStream</c> call from the buffered input into <paramref name="destination"/>.</summary>
    private unsafe int Decompress(Span<byte> destination)
    {
        fixed (byte* src = _input)
        fixed (byte* dst = destination)
        {
            var inBuffer = new Zstd.InBuffer { Src = src + _inputPos, Size = (nuint)(_inputEnd - _inputPos), Pos = 0 };
            var outBuffer = new Zstd.OutBuffer { Dst = dst, Size = (nuint)destination.Length, Pos = 0 };
            nuint result = Zstd.ZSTD_decompressStream(_dctx, &outBuffer, &inBuffer);
            if (Zstd.IsError(result))
            {
                throw new InvalidDataException($"Invalid zstd data: {Zstd.GetErrorName(result)}");
            }

            _inputPos += (int)inBuffer.Pos;

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

            // If the output was not filled, the decoder has emitted everything it can from the
            // input it was given; otherwise call again before reading more input.
            _needInput = outBuffer.Pos < outBuffer.Size;
            return (int)outBuffer.Pos;
        }
    }

    private void ReleaseResources()
    {
        _dctx.Dispose();
        byte[]? input = _input;
        _input = null;
        if (input is not null)
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}
