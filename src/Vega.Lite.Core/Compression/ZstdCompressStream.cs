using System.Buffers;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// Write-only stream that compresses into <c>inner</c> as one zstd frame (content checksum on).
/// <see cref="Flush"/> ends the current block so everything written so far can be decoded;
/// disposing ends the frame. Not thread-safe.
/// </summary>
public sealed class ZstdCompressStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ZstdCCtxHandle _cctx;
    private byte[]? _output;
    private bool _disposed;

    /// <param name="inner">Destination of the compressed bytes.</param>
    /// <param name="level">zstd level, <c>ZSTD_minCLevel()</c> (negative) to <c>ZSTD_maxCLevel()</c> (22); 0 means the default (3).</param>
    /// <param name="workers">
    /// 0 compresses on the calling thread; N ≥ 1 uses N zstd worker threads. Capped at <see cref="MaxWorkers"/>,
    /// which is 0 when libzstd was built without multithreading (Debian's static <c>libzstd.a</c>):
    /// compression then runs on the calling thread.
    /// </param>
    /// <param name="leaveOpen">Keep <paramref name="inner"/> open when this stream is disposed.</param>
    public ZstdCompressStream(Stream inner, int level, int workers = 0, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanWrite)
        {
            throw new ArgumentException("The inner stream must be writable.", nameof(inner));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        int min = Zstd.ZSTD_minCLevel();
        int max = Zstd.ZSTD_maxCLevel();
        if (level < min || level > max)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"zstd level must be between {min} and {max}.");
        }

        workers = Math.Min(workers, MaxWorkers);
        _inner = inner;
        _leaveOpen = leaveOpen;
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

        _output = ArrayPool<byte>.Shared.Rent((int)Zstd.ZSTD_CStreamOutSize());
    }

    /// <summary>
    /// The largest worker count the loaded libzstd accepts: 0 when it was built without multithreading
    /// (as Debian's static <c>libzstd.a</c> is; the shared <c>libzstd.so.1</c> allows 200).
    /// </summary>
    public static int MaxWorkers { get; } = QueryMaxWorkers();

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
            Compress(buffer, Zstd.EndDirective.Continue, output, out int consumed, out int produced);
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
            Compress(buffer.Span, Zstd.EndDirective.Continue, output, out int consumed, out int produced);
            if (produced > 0)
            {
                await _inner.WriteAsync(output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }

            buffer = buffer[consumed..];
        }
    }

    /// <summary>Emits all buffered data (<c>ZSTD_e_flush</c>) and flushes <c>inner</c>.</summary>
    public override void Flush()
    {
        byte[] output = Output;
        nuint remaining;
        do
        {
            remaining = Compress(default, Zstd.EndDirective.Flush, output, out _, out int produced);
            if (produced > 0)
            {
                _inner.Write(output, 0, produced);
            }
        }
        while (remaining != 0);

        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        byte[] output = Output;
        nuint remaining;
        do
        {
            remaining = Compress(default, Zstd.EndDirective.Flush, output, out _, out int produced);
            if (produced > 0)
            {
                await _inner.WriteAsync(output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }
        }
        while (remaining != 0);

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
                nuint remaining;
                do
                {
                    remaining = Compress(default, Zstd.EndDirective.End, output, out _, out int produced);
                    if (produced > 0)
                    {
                        _inner.Write(output, 0, produced);
                    }
                }
                while (remaining != 0);

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
                nuint remaining;
                do
                {
                    remaining = Compress(default, Zstd.EndDirective.End, output, out _, out int produced);
                    if (produced > 0)
                    {
                        await _inner.WriteAsync(output.AsMemory(0, produced)).ConfigureAwait(false);
                    }
                }
                while (remaining != 0);

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

    /// <summary>One <c>ZSTD_compressStream2</c> call into the start of <paramref name="output"/>.</summary>
    /// <returns>zstd's hint: for Flush/End, 0 once everything has been emitted.</returns>
    private unsafe nuint Compress(ReadOnlySpan<byte> input, Zstd.EndDirective directive, byte[] output, out int consumed, out int produced)
    {
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
            return result;
        }
    }

    private void ReleaseResources()
    {
        _cctx.Dispose();
        byte[]? output = _output;
        _output = null;
        if (output is not null)
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
