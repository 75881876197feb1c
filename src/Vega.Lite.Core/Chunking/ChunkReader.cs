namespace Vega.Lite.Core.Chunking;

/// <summary>
/// Splits a stream into content-defined chunks with <see cref="FastCdc"/>, holding at most four maximum-size chunks
/// in memory whatever the stream's length. Each chunk is valid until the next call.
/// </summary>
public sealed class ChunkReader(Stream input, FastCdc cdc)
{
    /// <summary>
    /// Four maximum-size chunks: the unread tail is moved to the front only when less than a chunk's room is left,
    /// about once per three maximum-size chunks of input instead of once per chunk.
    /// </summary>
    private readonly byte[] _buffer = new byte[cdc.MaxSize * 4];
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
            if (_start > 0 && _buffer.Length - _start < cdc.MaxSize)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
                _start = 0;
                _end = available;
            }
            var n = await input.ReadAsync(_buffer.AsMemory(_end), ct);
            if (n == 0)
            {
                _eof = true;
            }
            _end += n;
        }
    }
}
