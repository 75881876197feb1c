using System.Buffers;

namespace Vega.Lite.Core.Chunking;

/// <summary>
/// Splits a stream into content-defined chunks with <see cref="FastCdc"/>, holding at most four maximum-size chunks
/// in memory whatever the stream's length. Each chunk is valid until the next call, and until the reader is disposed.
/// </summary>
public sealed class ChunkReader(Stream input, FastCdc cdc) : IDisposable
{
    /// <summary>
    /// Four maximum-size chunks: the unread tail is moved to the front only when less than a chunk's room is left,
    /// about once per three maximum-size chunks of input instead of once per chunk. Rented: at Attic's sizes it is
    /// 1 MiB, a large object, and one new per upload grew the collected-only-in-full part of the heap by a megabyte a
    /// push (the soak's RSS went up and down by a sixth under a push every 3 s).
    /// </summary>
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(cdc.MaxSize * 4);
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next chunk, or an empty memory at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            var available = _end - _start;
            if (available >= cdc.MaxSize || _eof)
            {
                if (available == 0)
                {
                    return ReadOnlyMemory<byte>.Empty;
                }
                var length = cdc.Cut(_buffer.AsSpan(_start, available), final: true);
                var chunk = _buffer.AsMemory(_start, length);
                _start += length;
                return chunk;
            }
            if (_start > 0 && Capacity - _start < cdc.MaxSize)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
                _start = 0;
                _end = available;
            }
            var n = await input.ReadAsync(_buffer.AsMemory(_end, Capacity - _end), ct);
            if (n == 0)
            {
                _eof = true;
            }
            _end += n;
        }
    }

    /// <summary>The four chunks' room; a rented array may be longer.</summary>
    private int Capacity => cdc.MaxSize * 4;

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
