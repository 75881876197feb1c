namespace Vega.Lite.Core.IO;

/// <summary>Passes writes through while computing the SHA-256 and length of every byte written.</summary>
public sealed class HashingWriteStream(Stream inner, bool leaveOpen = false) : WriteOnlyStream
{
    private readonly Sha256Tally _tally = new();

    public long BytesWritten => _tally.Length;

    /// <summary>The SHA-256 of everything written so far; call once, at the end.</summary>
    public byte[] GetHash() => _tally.GetHash();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _tally.Append(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        _tally.Append(buffer.Span);
        return inner.WriteAsync(buffer, ct);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tally.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
