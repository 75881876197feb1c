using System.Runtime.InteropServices;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Storage.Local;

/// <summary>
/// A new blob file written with <c>write</c>: no buffer, no handle object, writes done inline (they land in the page
/// cache; durability comes from the storage's <c>syncfs</c> before a NAR is recorded). Owns the descriptor; closing it
/// reports an error the file system kept for the close.
/// </summary>
internal sealed class BlobWriteStream(int fd) : WriteOnlyStream
{
    private bool _closed;

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        fixed (byte* start = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var n = Libc.Write(fd, start + done, buffer.Length - done);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.ErrInterrupted)
                {
                    throw Libc.Failure("writing a blob file failed", errno);
                }
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    /// <summary>Closes the file, throwing if the file system reports an error for it (a written blob is then not kept).</summary>
    public void CloseChecked()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _closed = true;
        if (Libc.Close(fd) != 0)
        {
            throw Libc.Failure("closing a blob file failed");
        }
    }

    /// <summary>A stream nobody disposed still closes its descriptor, as a <see cref="FileStream"/>'s handle would.</summary>
    ~BlobWriteStream() => Dispose(false);

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
