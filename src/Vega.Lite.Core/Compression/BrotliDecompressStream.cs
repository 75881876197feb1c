using System.IO.Compression;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Core.Compression;

/// <summary>
/// .NET's brotli decoder, failing as the other decompressors do: corrupt input throws <see cref="InvalidDataException"/>
/// with a readable message (the decoder itself throws <see cref="InvalidOperationException"/>), and so does input
/// that ends inside the compressed data.
/// </summary>
public sealed class BrotliDecompressStream(Stream inner, bool leaveOpen) : ReadOnlyStream
{
    private const string Corrupt = "the brotli data is corrupt";

    private readonly BrotliStream _brotli = new(inner, CompressionMode.Decompress, leaveOpen);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _brotli.Read(buffer);
        }
        catch (InvalidOperationException)
        {
            throw new InvalidDataException(Corrupt);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        try
        {
            return await _brotli.ReadAsync(buffer, ct);
        }
        catch (InvalidOperationException)
        {
            throw new InvalidDataException(Corrupt);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _brotli.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _brotli.DisposeAsync();
        await base.DisposeAsync();
    }
}
