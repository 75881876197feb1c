namespace Vega.Lite.Core.IO;

/// <summary>Reads at most <c>limit</c> bytes of the inner stream, then reports end of stream (Rust's <c>take</c>).</summary>
public sealed class LengthLimitedReadStream(Stream inner, long limit) : ReadOnlyStream
{
    private long _remaining = limit >= 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining == 0)
        {
            return 0;
        }
        var n = inner.Read(buffer[..Allowed(buffer.Length)]);
        _remaining -= n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_remaining == 0)
        {
            return 0;
        }
        var n = await inner.ReadAsync(buffer[..Allowed(buffer.Length)], ct);
        _remaining -= n;
        return n;
    }

    private int Allowed(int requested) => (int)Math.Min(requested, _remaining);

    public override long Position { get => limit - _remaining; set => throw new NotSupportedException(); }
}
