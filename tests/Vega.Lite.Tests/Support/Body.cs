namespace Vega.Lite.Tests.Support;

/// <summary>
/// A request body as clients stream it: unseekable, so it goes without a Content-Length. It can stop at a byte until a
/// task completes (<paramref name="pauseAt"/>, <paramref name="resume"/>), or fail at a byte as when the client dies
/// mid-upload (<paramref name="failAt"/>).
/// </summary>
public sealed class Body(byte[] data, int pauseAt = int.MaxValue, Task? resume = null, int failAt = int.MaxValue)
    : MemoryStream(data, writable: false)
{
    public override bool CanSeek => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (Position >= failAt)
        {
            throw new IOException("the client went away");
        }
        if (Position >= pauseAt && resume is not null)
        {
            await resume.WaitAsync(ct);
        }
        var limit = (int)Math.Min(buffer.Length, Math.Min(Position < pauseAt ? pauseAt - Position : long.MaxValue, failAt - Position));
        return await base.ReadAsync(buffer[..limit], ct);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
}
