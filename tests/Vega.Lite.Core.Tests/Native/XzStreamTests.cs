using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests;

public sealed class XzStreamTests
{
    private static byte[] Compress(byte[] data, int preset = 1)
    {
        var output = new MemoryStream();
        using (var xz = new XzCompressStream(output, preset, leaveOpen: true))
        {
            SlicedIo.WriteSliced(xz, data);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed, int maxChunk = int.MaxValue)
    {
        using var xz = new XzDecompressStream(new TrickleStream(compressed, maxChunk));
        return SlicedIo.ReadAllSliced(xz);
    }

    public static TheoryData<string> Inputs() => ["empty", "one", "random10MB", "compressible10MB"];

    private static byte[] Input(string name) => name switch
    {
        "empty" => [],
        "one" => [42],
        "random10MB" => TestData.Random(TestData.TenMegabytes),
        "compressible10MB" => TestData.Compressible(TestData.TenMegabytes),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void RoundTrip(string input)
    {
        byte[] data = Input(input);
        Assert.Equal(data, Decompress(Compress(data)));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task RoundTripAsync(string input)
    {
        byte[] data = Input(input);
        var output = new MemoryStream();
        await using (var xz = new XzCompressStream(output, 0, leaveOpen: true))
        {
            await SlicedIo.WriteSlicedAsync(xz, data);
        }

        await using var reader = new XzDecompressStream(new TrickleStream(output.ToArray(), 3000));
        Assert.Equal(data, await SlicedIo.ReadAllSlicedAsync(reader));
    }

    [Fact]
    public void TrickledInputOneByteAtATime()
    {
        byte[] data = TestData.Compressible(200_000);
        Assert.Equal(data, Decompress(Compress(data, 6), maxChunk: 1));
    }

    [Fact]
    public void ConcatenatedStreamsDecodeToConcatenation()
    {
        byte[] a = TestData.Compressible(300_000, seed: 20);
        byte[] b = TestData.Random(50_000, seed: 21);
        byte[] joined = [.. Compress(a), .. Compress(b, 3), .. Compress([])];
        Assert.Equal([.. a, .. b], Decompress(joined));
    }

    [Fact]
    public void StreamPaddingIsAccepted()
    {
        byte[] data = TestData.Compressible(10_000);
        byte[] padded = [.. Compress(data), 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(data, Decompress(padded));
    }

    [RequiresToolFact("xz", "xz-utils")]
    public async Task XzCliDecodesOurOutput()
    {
        byte[] data = TestData.Compressible(2_000_000, seed: 22);
        Assert.Equal(data, await Cli.RunAsync("xz", ["-d", "-c"], Compress(data, 6)));
        Assert.Equal(Array.Empty<byte>(), await Cli.RunAsync("xz", ["-d", "-c"], Compress([])));
    }

    [RequiresToolFact("xz", "xz-utils")]
    public async Task WeDecodeXzCliLevel9()
    {
        byte[] data = TestData.Compressible(2_000_000, seed: 23);
        byte[] compressed = await Cli.RunAsync("xz", ["-9", "-c", "-T1"], data);
        Assert.Equal(data, Decompress(compressed));
    }

    [RequiresToolFact("xz", "xz-utils")]
    public async Task WeDecodeXzCliMultiBlockOutput()
    {
        // Multi-threaded xz writes several blocks in one stream.
        byte[] data = TestData.Compressible(3_000_000, seed: 24);
        byte[] compressed = await Cli.RunAsync("xz", ["-1", "-c", "-T2", "--block-size=500000"], data);
        Assert.Equal(data, Decompress(compressed));
    }

    [Fact]
    public void UsesCrc64Check()
    {
        // Stream header: magic (6 bytes), stream flags 0x00 then the check id (4 = CRC64).
        byte[] compressed = Compress([1, 2, 3]);
        Assert.Equal(new byte[] { 0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, 0x00, 0x04 }, compressed[..8]);
    }

    [Fact]
    public void FlushMakesWrittenDataDecodable()
    {
        var output = new MemoryStream();
        using var xz = new XzCompressStream(output, 6, leaveOpen: true);
        xz.Write("hello, world"u8);
        xz.Flush();

        using var reader = new XzDecompressStream(new MemoryStream(output.ToArray()));
        byte[] buffer = new byte[12];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = reader.Read(buffer, total, buffer.Length - total);
            Assert.NotEqual(0, n);
            total += n;
        }

        Assert.Equal("hello, world"u8.ToArray(), buffer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void TruncatedInputThrows(int cut)
    {
        byte[] compressed = Compress(TestData.Compressible(400_000));
        byte[] truncated = cut > 0 ? compressed[..^cut] : compressed[..(compressed.Length / 2)];
        var error = Assert.Throws<InvalidDataException>(() => Decompress(truncated));
        Assert.Equal("Truncated xz input", error.Message);
    }

    [Fact]
    public async Task TruncatedInputThrowsAsync()
    {
        byte[] compressed = Compress(TestData.Compressible(400_000));
        await using var reader = new XzDecompressStream(new TrickleStream(compressed[..^5], 1000));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SlicedIo.ReadAllSlicedAsync(reader));
        Assert.Equal("Truncated xz input", error.Message);
    }

    [Fact]
    public void EmptyInputThrowsLikeTheCli()
    {
        Assert.Throws<InvalidDataException>(() => Decompress([]));
    }

    [Fact]
    public void GarbageThrows()
    {
        var error = Assert.Throws<InvalidDataException>(() => Decompress(TestData.Random(10_000, seed: 97)));
        Assert.Contains("xz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingGarbageThrows()
    {
        byte[] joined = [.. Compress([1, 2, 3]), .. TestData.Random(100, seed: 96)];
        Assert.Throws<InvalidDataException>(() => Decompress(joined));
    }

    [Fact]
    public void CorruptedPayloadThrows()
    {
        byte[] compressed = Compress(TestData.Random(100_000));
        compressed[compressed.Length / 2] ^= 0x55;
        Assert.Throws<InvalidDataException>(() => Decompress(compressed));
    }

    [Fact]
    public async Task DisposeTwiceIsSafe()
    {
        var output = new MemoryStream();
        var writer = new XzCompressStream(output, 1, leaveOpen: true);
        writer.Write([1, 2, 3]);
        writer.Dispose();
        writer.Dispose();
        await writer.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => writer.Write([4]));

        var reader = new XzDecompressStream(new MemoryStream(output.ToArray()));
        await reader.DisposeAsync();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.ReadByte());
    }

    [Fact]
    public void LeaveOpenIsHonoured()
    {
        var kept = new MemoryStream();
        new XzCompressStream(kept, 1, leaveOpen: true).Dispose();
        Assert.True(kept.CanWrite);

        var closed = new MemoryStream();
        new XzCompressStream(closed, 1).Dispose();
        Assert.False(closed.CanWrite);

        var source = new TrickleStream(kept.ToArray(), 100);
        new XzDecompressStream(source, leaveOpen: true).Dispose();
        Assert.False(source.WasDisposed);
        new XzDecompressStream(source).Dispose();
        Assert.True(source.WasDisposed);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new XzCompressStream(new MemoryStream(), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new XzCompressStream(new MemoryStream(), -1));
        using var writeOnly = new ZstdCompressStream(new MemoryStream(), 1);
        Assert.Throws<ArgumentException>(() => new XzDecompressStream(writeOnly));
    }
}
