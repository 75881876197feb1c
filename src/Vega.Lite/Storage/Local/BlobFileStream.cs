using System.Runtime.InteropServices;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Storage.Local;

/// <summary>
/// A blob file read with <c>pread</c> from a position it keeps: no buffer, no handle object, reads done inline
/// (blob files are read from the page cache, where a thread-pool hop per read costs more than the read).
/// Owns the descriptor and closes it on dispose.
/// </summary>
internal sealed class BlobFileStream(int fd, long offset) : ReadOnlyStream
{
    private long _position = offset;
    private bool _closed;

    public override bool CanRead => !_closed;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override unsafe int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (true)
        {
            nint n;
            fixed (byte* destination = buffer)
            {
                n = Libc.PRead(fd, destination, buffer.Length, _position);
            }
            if (n >= 0)
            {
                _position += n;
                return (int)n;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.ErrInterrupted)
            {
                throw Libc.Failure("reading a blob file failed", errno);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>A stream nobody disposed still closes its descriptor, as a <see cref="FileStream"/>'s handle would.</summary>
    ~BlobFileStream() => Dispose(false);

    protected override void Dispose(bool disposing)
    {
        if (!_closed)
        {
            _closed = true;
            _ = Libc.Close(fd);
        }
        base.Dispose(disposing);
    }
}
