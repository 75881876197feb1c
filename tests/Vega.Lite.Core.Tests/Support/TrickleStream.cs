namespace Vega.Lite.Core.Tests.Support;

/// <summary>A read-only stream over bytes that returns at most <c>maxChunk</c> bytes per read, like a slow network.</summary>
internal sealed class TrickleStream(byte[] data, int maxChunk) : Vega.Lite.Core.IO.ReadOnlyStream
{
    private int _position;

    public bool WasDisposed { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(buffer.Length, maxChunk), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return Read(buffer.Span);
    }

    protected override void Dispose(bool disposing)
    {
        WasDisposed = true;
        base.Dispose(disposing);
    }
}
