using System.Buffers;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Shared plumbing of the read-only decompress streams backed by a native decoder (zstd, xz):
/// the Stream overrides, the read loops, the pooled input buffer refilled from <c>inner</c>,
/// truncation reporting and disposal. A subclass supplies one <see cref="Decode"/> step, its
/// <see cref="TruncatedMessage"/>, and releases its native handle in <see cref="ReleaseNative"/>.
/// </summary>
/// <remarks>
/// Public only because a public class cannot derive from an internal one; the constructor and
/// the abstract members are <c>private protected</c>, so it cannot be subclassed outside this assembly.
/// </remarks>
public abstract class NativeDecompressStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private byte[]? _input;
    private int _inputPos;
    private int _inputEnd;
    private bool _innerEof;
    private bool _needInput = true;
    private bool _ended;
    private bool _disposed;

    private protected NativeDecompressStream(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead)
        {
            throw new ArgumentException("The inner stream must be readable.", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Outcome of one <see cref="Decode"/> step.</summary>
    private protected enum DecodeStatus
    {
        /// <summary>Progress (or none yet); call again.</summary>
        Ok,

        /// <summary>The compressed data ended cleanly; no more output will follow.</summary>
        End,

        /// <summary>The input ended inside the compressed data: throws <see cref="TruncatedMessage"/>.</summary>
        Truncated,
    }

    public override bool CanRead => !_disposed;

    /// <summary>Size of the pooled input buffer, rented on first use.</summary>
    private protected abstract int InputBufferSize { get; }

    /// <summary>Message of the <see cref="InvalidDataException"/> thrown for truncated (or empty) input.</summary>
    private protected abstract string TruncatedMessage { get; }

    private byte[] Input
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _input ??= ArrayPool<byte>.Shared.Rent(InputBufferSize);
        }
    }

    /// <summary>All buffered input consumed, the decoder has emitted what it could from it, and <c>inner</c> may have more.</summary>
    private bool NeedsRefill => _inputPos == _inputEnd && _needInput && !_innerEof;

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

        while (!_ended)
        {
            if (NeedsRefill)
            {
                Refilled(_inner.Read(input, 0, input.Length));
                continue;
            }

            int produced = Step(input, buffer);
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

        while (!_ended)
        {
            if (NeedsRefill)
            {
                Refilled(await _inner.ReadAsync(input, cancellationToken).ConfigureAwait(false));
                continue;
            }

            int produced = Step(input, buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    /// <summary>One native decoder call from <paramref name="input"/> into the start of <paramref name="output"/> (never empty).</summary>
    /// <param name="input">The buffered compressed bytes not consumed yet (may be empty).</param>
    /// <param name="endOfInput">
    /// <c>inner</c> is exhausted and <paramref name="input"/> is empty: no more compressed bytes will come.
    /// The step must then report <see cref="DecodeStatus.End"/> or <see cref="DecodeStatus.Truncated"/>
    /// once it has no more output.
    /// </param>
    /// <exception cref="InvalidDataException">The data is corrupt.</exception>
    private protected abstract DecodeStatus Decode(ReadOnlySpan<byte> input, bool endOfInput, Span<byte> output, out int consumed, out int produced);

    /// <summary>Frees the native decoder. Called exactly once, from Dispose/DisposeAsync.</summary>
    private protected abstract void ReleaseNative();

    /// <summary>Records a read from <c>inner</c> into the (fully consumed) input buffer; 0 means its end.</summary>
    private void Refilled(int count)
    {
        _innerEof = count == 0;
        _inputPos = 0;
        _inputEnd = count;
    }

    /// <summary>Runs <see cref="Decode"/> on the buffered input and returns the number of bytes produced.</summary>
    private int Step(byte[] input, Span<byte> output)
    {
        bool endOfInput = _innerEof && _inputPos == _inputEnd;
        DecodeStatus status = Decode(input.AsSpan(_inputPos, _inputEnd - _inputPos), endOfInput, output, out int consumed, out int produced);
        _inputPos += consumed;

        // If the output was not filled, the decoder has emitted everything it can from the input it
        // was given; otherwise call again before reading more input.
        _needInput = produced < output.Length;
        if (status == DecodeStatus.Truncated)
        {
            throw new InvalidDataException(TruncatedMessage);
        }

        _ended = status == DecodeStatus.End;
        return produced;
    }

    private void ReleaseResources()
    {
        ReleaseNative();
        byte[]? input = _input;
        _input = null;
        if (input is not null)
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}
