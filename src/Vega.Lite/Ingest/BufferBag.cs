using Vega.Lite.Core.Pooling;

namespace Vega.Lite.Ingest;

/// <summary>
/// Buffers of one exact size, kept for reuse up to a number. <see cref="System.Buffers.ArrayPool{T}"/> rounds sizes up to
/// powers of two and keeps arrays per size, so buffers for chunks of every size from 16 to 256 KiB, and their frames
/// just over, filled ten buckets (about 5 MiB kept after a push); one size fills one.
/// </summary>
internal sealed class BufferBag(int size, int keep)
{
    private readonly IdlePool<byte[]> _idle = new(keep);

    public byte[] Rent() => _idle.TryTake(out var buffer) ? buffer : new byte[size];

    public void Return(byte[] buffer)
    {
        if (buffer.Length == size)
        {
            _idle.TryKeep(buffer);
        }
    }
}
