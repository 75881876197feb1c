using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests.Compression;

public sealed class ZstdStreamTests : CompressionStreamContract
{
    protected override string Format => "zstd";

    protected override int HighLevel => 19;

    protected override Stream Compressor(Stream output, bool leaveOpen = false, int? level = null) =>
        new ZstdCompressStream(output, level ?? 3, leaveOpen: leaveOpen);

    protected override Stream Decompressor(Stream input, bool leaveOpen = false) => new ZstdDecompressStream(input, leaveOpen);

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
    public void TruncatedSecondFrameThrows()
    {
        byte[] frame = Compress(TestData.Compressible(50_000));
        byte[] joined = [.. frame, .. frame[..10]];
        Assert.Throws<InvalidDataException>(() => Decompress(joined));
    }

    [Fact]
    public void EmptyInputIsTruncatedInput()
    {
        var error = Assert.Throws<InvalidDataException>(() => Decompress([]));
        Assert.Equal("Truncated zstd input", error.Message);
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
