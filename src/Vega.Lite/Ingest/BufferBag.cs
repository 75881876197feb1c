using Vega.Lite.Core.Pooling;

namespace Vega.Lite.Ingest;

/// <summary>
/// Buffers of one exact size, kept for reuse up to a number. Unlike <see cref="System.Buffers.ArrayPool{T}"/>, which
/// rounds up to powers of two and keeps arrays per size, chunk buffers of every size then fill one bucket, not ten.
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
