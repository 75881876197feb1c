using System.Buffers;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Shared plumbing of the write-only compress streams backed by a native encoder (zstd, xz):
/// the Stream overrides, the write/flush/finish loops that push the encoder's output into
/// <c>inner</c>, the pooled output buffer and disposal. A subclass supplies one
/// <see cref="Encode"/> step and releases its native handle in <see cref="ReleaseNative"/>.
/// </summary>
/// <remarks>
/// Public only because a public class cannot derive from an internal one; the constructor and
/// the abstract members are <c>private protected</c>, so it cannot be subclassed outside this assembly.
/// </remarks>
public abstract class NativeCompressStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private byte[]? _output;
    private bool _disposed;

    private protected NativeCompressStream(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanWrite)
        {
            throw new ArgumentException("The inner stream must be writable.", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>What one <see cref="Encode"/> call is asked to do.</summary>
    private protected enum EncodeMode
    {
        /// <summary>Consume input; emit whatever the encoder has ready.</summary>
        Run,

        /// <summary>Emit everything buffered so far so it can be decoded (the stream stays open).</summary>
        Flush,

        /// <summary>End the frame / stream.</summary>
        Finish,
    }

    public override bool CanWrite => !_disposed;

    /// <summary>Size of the pooled output buffer, rented on first use.</summary>
    private protected abstract int OutputBufferSize { get; }

    private byte[] Output
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _output ??= ArrayPool<byte>.Shared.Rent(OutputBufferSize);
        }
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
            Encode(buffer, EncodeMode.Run, output, out int consumed, out int produced);
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
            Encode(buffer.Span, EncodeMode.Run, output, out int consumed, out int produced);
            if (produced > 0)
            {
                await _inner.WriteAsync(output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }

            buffer = buffer[consumed..];
        }
    }

    /// <summary>Emits all buffered data (<see cref="EncodeMode.Flush"/>) and flushes <c>inner</c>.</summary>
    public override void Flush()
    {
        Drain(EncodeMode.Flush, Output);
        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(EncodeMode.Flush, Output, cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes the frame / stream (when <paramref name="disposing"/>), then releases everything.</summary>
    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (disposing)
            {
                Drain(EncodeMode.Finish, _output ??= ArrayPool<byte>.Shared.Rent(OutputBufferSize));
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
            byte[] output = _output ??= ArrayPool<byte>.Shared.Rent(OutputBufferSize);
            await DrainAsync(EncodeMode.Finish, output, CancellationToken.None).ConfigureAwait(false);
            await _inner.FlushAsync().ConfigureAwait(false);
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

    /// <summary>One native encoder call, writing into the start of <paramref name="output"/>.</summary>
    /// <returns>For <see cref="EncodeMode.Flush"/> and <see cref="EncodeMode.Finish"/>: true once everything has been emitted.</returns>
    /// <exception cref="IOException">The encoder failed.</exception>
    private protected abstract bool Encode(ReadOnlySpan<byte> input, EncodeMode mode, Span<byte> output, out int consumed, out int produced);

    /// <summary>Frees the native encoder. Called exactly once, from Dispose/DisposeAsync.</summary>
    private protected abstract void ReleaseNative();

    /// <summary>Calls <see cref="Encode"/> with no input until <paramref name="mode"/> is complete, writing all output.</summary>
    private void Drain(EncodeMode mode, byte[] output)
    {
        bool done;
        do
        {
            done = Encode(default, mode, output, out _, out int produced);
            if (produced > 0)
            {
                _inner.Write(output, 0, produced);
            }
        }
        while (!done);
    }

    private async ValueTask DrainAsync(EncodeMode mode, byte[] output, CancellationToken cancellationToken)
    {
        bool done;
        do
        {
            done = Encode(default, mode, output, out _, out int produced);
            if (produced > 0)
            {
                await _inner.WriteAsync(output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }
        }
        while (!done);
    }

    private void ReleaseResources()
    {
        ReleaseNative();
        byte[]? output = _output;
        _output = null;
        if (output is not null)
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
