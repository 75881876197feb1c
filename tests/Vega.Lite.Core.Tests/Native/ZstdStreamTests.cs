using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests;

public sealed class ZstdStreamTests
{
    private static byte[] Compress(byte[] data, int level = 3, int workers = 0)
    {
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressStream(output, level, workers, leaveOpen: true))
        {
            SlicedIo.WriteSliced(zstd, data);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed, int maxChunk = int.MaxValue)
    {
        using var zstd = new ZstdDecompressStream(new TrickleStream(compressed, maxChunk));
        return SlicedIo.ReadAllSliced(zstd);
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
        byte[] compressed = Compress(data);
        Assert.Equal(data, Decompress(compressed));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task RoundTripAsync(string input)
    {
        byte[] data = Input(input);
        var output = new MemoryStream();
        await using (var zstd = new ZstdCompressStream(output, 1, leaveOpen: true))
        {
            await SlicedIo.WriteSlicedAsync(zstd, data);
        }

        await using var reader = new ZstdDecompressStream(new TrickleStream(output.ToArray(), 3000));
        Assert.Equal(data, await SlicedIo.ReadAllSlicedAsync(reader));
    }

    [Fact]
    public void TrickledInputOneByteAtATime()
    {
        byte[] data = TestData.Compressible(300_000);
        Assert.Equal(data, Decompress(Compress(data, 19), maxChunk: 1));
    }

    [Fact]
    public void ConcatenatedFramesDecodeToConcatenation()
    {
        byte[] a = TestData.Compressible(1_500_000, seed: 10);
        byte[] b = TestData.Random(70_000, seed: 11);
        byte[] c = [];
        byte[] joined = [.. Compress(a), .. Compress(b, 1), .. Compress(c), .. Compress(a, 5)];
        Assert.Equal([.. a, .. b, .. c, .. a], Decompress(joined));
        Assert.Equal([.. a, .. b, .. c, .. a], Decompress(joined, maxChunk: 777));
    }

    [Fact]
    public void SkippableFramesAreIgnored()
    {
        byte[] a = TestData.Compressible(20_000, seed: 12);
        // Skippable frame: magic 0x184D2A50 (little-endian), 4-byte little-endian length, payload.
        byte[] skippable = [0x50, 0x2A, 0x4D, 0x18, 5, 0, 0, 0, 1, 2, 3, 4, 5];
        byte[] joined = [.. skippable, .. Compress(a), .. skippable];
        Assert.Equal(a, Decompress(joined));
        Assert.Equal(a, Decompress(joined, maxChunk: 3));
    }

    [RequiresToolFact("zstd", "zstd")]
    public async Task MultiThreadedOutputDecodes()
    {
        byte[] data = TestData.Compressible(TestData.TenMegabytes, seed: 5);
        byte[] compressed = Compress(data, level: 3, workers: 2);
        Assert.Equal(data, Decompress(compressed));
        Assert.Equal(data, await Cli.RunAsync("zstd", ["-d", "-c"], compressed));
    }

    [RequiresToolFact("zstd", "zstd")]
    public async Task ZstdCliDecodesOurOutput()
    {
        byte[] data = TestData.Compressible(3_000_000, seed: 6);
        Assert.Equal(data, await Cli.RunAsync("zstd", ["-d", "-c"], Compress(data, 7)));
        Assert.Equal(Array.Empty<byte>(), await Cli.RunAsync("zstd", ["-d", "-c"], Compress([])));
    }

    [RequiresToolFact("zstd", "zstd")]
    public async Task WeDecodeZstdCliLevel19()
    {
        byte[] data = TestData.Compressible(2_000_000, seed: 7);
        byte[] compressed = await Cli.RunAsync("zstd", ["-19", "-c", "-q"], data);
        Assert.Equal(data, Decompress(compressed));
    }

    [RequiresToolFact("zstd", "zstd")]
    public async Task WeDecodeZstdCliMultiFrameOutput()
    {
        // zstd -B splits into independent jobs/frames only with -T; concatenating two CLI outputs is the portable way.
        byte[] a = TestData.Compressible(500_000, seed: 8);
        byte[] b = TestData.Compressible(600_000, seed: 9);
        byte[] joined = [.. await Cli.RunAsync("zstd", ["-3", "-c", "-q"], a), .. await Cli.RunAsync("zstd", ["-19", "-c", "-q"], b)];
        Assert.Equal([.. a, .. b], Decompress(joined));
    }

    [Fact]
    public void SharedLibzstdSupportsWorkers()
    {
        // The shared libzstd.so.1 is built with multithreading; Debian's static libzstd.a is not (MaxWorkers 0).
        Assert.InRange(ZstdCompressStream.MaxWorkers, 2, 1024);
    }

    [Fact]
    public void ChecksumIsWritten()
    {
        // Frame header descriptor byte: bit 2 = content checksum flag.
        byte[] compressed = Compress([1, 2, 3]);
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, compressed[..4]);
        Assert.NotEqual(0, compressed[4] & 0x04);
    }

    [Fact]
    public void FlushMakesWrittenDataDecodable()
    {
        var output = new MemoryStream();
        using var zstd = new ZstdCompressStream(output, 3, leaveOpen: true);
        zstd.Write("hello, "u8);
        zstd.Write("world"u8);
        zstd.Flush();

        using var reader = new ZstdDecompressStream(new MemoryStream(output.ToArray()));
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
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(-1)]
    public void TruncatedInputThrows(int cut)
    {
        byte[] compressed = Compress(TestData.Compressible(400_000));
        byte[] truncated = cut > 0 ? compressed[..^cut] : compressed[..(compressed.Length / 2)];
        var error = Assert.Throws<InvalidDataException>(() => Decompress(truncated));
        Assert.Equal("Truncated zstd input", error.Message);
    }

    [Fact]
    public async Task TruncatedInputThrowsAsync()
    {
        byte[] compressed = Compress(TestData.Compressible(400_000));
        await using var reader = new ZstdDecompressStream(new TrickleStream(compressed[..^5], 1000));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SlicedIo.ReadAllSlicedAsync(reader));
        Assert.Equal("Truncated zstd input", error.Message);
    }

    [Fact]
    public void TruncatedSecondFrameThrows()
    {
        byte[] frame = Compress(TestData.Compressible(50_000));
        byte[] joined = [.. frame, .. frame[..10]];
        Assert.Throws<InvalidDataException>(() => Decompress(joined));
    }

    [Fact]
    public void EmptyInputThrowsLikeTheCli()
    {
        var error = Assert.Throws<InvalidDataException>(() => Decompress([]));
        Assert.Equal("Truncated zstd input", error.Message);
    }

    [Fact]
    public void GarbageThrows()
    {
        var error = Assert.Throws<InvalidDataException>(() => Decompress(TestData.Random(10_000, seed: 99)));
        Assert.Contains("zstd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingGarbageThrows()
    {
        byte[] joined = [.. Compress([1, 2, 3]), .. TestData.Random(100, seed: 98)];
        Assert.Throws<InvalidDataException>(() => Decompress(joined));
    }

    [Fact]
    public void CorruptedPayloadFailsTheChecksum()
    {
        byte[] compressed = Compress(TestData.Random(100_000));
        compressed[compressed.Length / 2] ^= 0x55;
        Assert.Throws<InvalidDataException>(() => Decompress(compressed));
    }

    [Fact]
    public async Task DisposeTwiceIsSafe()
    {
        var output = new MemoryStream();
        var writer = new ZstdCompressStream(output, 3, leaveOpen: true);
        writer.Write([1, 2, 3]);
        writer.Dispose();
        writer.Dispose();
        await writer.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => writer.Write([4]));
        Assert.False(writer.CanWrite);

        var reader = new ZstdDecompressStream(new MemoryStream(output.ToArray()));
        await reader.DisposeAsync();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.ReadByte());
    }

    [Fact]
    public void LeaveOpenIsHonoured()
    {
        var kept = new MemoryStream();
        new ZstdCompressStream(kept, 3, leaveOpen: true).Dispose();
        Assert.True(kept.CanWrite);

        var closed = new MemoryStream();
        new ZstdCompressStream(closed, 3).Dispose();
        Assert.False(closed.CanWrite);

        var source = new TrickleStream(kept.ToArray(), 100);
        new ZstdDecompressStream(source, leaveOpen: true).Dispose();
        Assert.False(source.WasDisposed);
        new ZstdDecompressStream(source).Dispose();
        Assert.True(source.WasDisposed);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCompressStream(new MemoryStream(), 23));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCompressStream(new MemoryStream(), 3, workers: -1));
        Assert.Throws<ArgumentException>(() => new ZstdCompressStream(new MemoryStream([], writable: false), 3));
        Assert.Throws<ArgumentNullException>(() => new ZstdDecompressStream(null!));
    }

    [Fact]
    public void StreamCapabilities()
    {
        using var writer = new ZstdCompressStream(new MemoryStream(), 3);
        Assert.True(writer.CanWrite);
        Assert.False(writer.CanRead);
        Assert.False(writer.CanSeek);
        Assert.Throws<NotSupportedException>(() => writer.Read(new byte[1], 0, 1));

        using var reader = new ZstdDecompressStream(new MemoryStream());
        Assert.True(reader.CanRead);
        Assert.False(reader.CanWrite);
        Assert.Throws<NotSupportedException>(() => reader.Length);
        Assert.Throws<NotSupportedException>(() => reader.Write([1], 0, 1));
    }
}
