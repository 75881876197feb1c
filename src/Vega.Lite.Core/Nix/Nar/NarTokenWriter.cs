using System.Buffers;
using System.Buffers.Binary;

namespace Vega.Lite.Core.Nix.Nar;

/// <summary>Buffered writer of NAR primitives: little-endian u64 and padded strings.</summary>
internal sealed class NarTokenWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _output;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _count;

    public NarTokenWriter(Stream output) => _output = output;

    public void WriteU64(ulong value)
    {
        Reserve(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_count), value);
        _count += 8;
    }

    /// <summary>A string: u64 length, the bytes, zero padding to a multiple of 8.</summary>
    public void WriteString(ReadOnlySpan<byte> value)
    {
        WriteU64((ulong)value.Length);
        WriteRaw(value);
        WritePadding(value.Length);
    }

    /// <summary>File contents as a string, copied from <paramref name="source"/> in chunks.</summary>
    /// <exception cref="IOException">The source did not hold exactly <paramref name="length"/> bytes.</exception>
    public void WriteContents(Stream source, long length)
    {
        WriteU64((ulong)length);
        long left = length;
        while (left > 0)
        {
            if (_count == _buffer.Length)
            {
                Flush();
            }

            int read = source.Read(_buffer, _count, (int)Math.Min(left, _buffer.Length - _count));
            if (read == 0)
            {
                throw new IOException($"The file shrank while it was being archived ({left} bytes missing).");
            }

            _count += read;
            left -= read;
        }

        if (source.ReadByte() >= 0)
        {
            throw new IOException("The file grew while it was being archived.");
        }

        WritePadding(length);
    }

    public void WriteRaw(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_count == _buffer.Length)
            {
                Flush();
            }

            int n = Math.Min(data.Length, _buffer.Length - _count);
            data[..n].CopyTo(_buffer.AsSpan(_count));
            _count += n;
            data = data[n..];
        }
    }

    private void WritePadding(long length)
    {
        int padding = (int)((8 - (length & 7)) & 7);
        if (padding > 0)
        {
            Reserve(padding);
            _buffer.AsSpan(_count, padding).Clear();
            _count += padding;
        }
    }

    private void Reserve(int count)
    {
        if (_buffer.Length - _count < count)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_count > 0)
        {
            _output.Write(_buffer, 0, _count);
            _count = 0;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
