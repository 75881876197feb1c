using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests.Compression;

public sealed class XzStreamTests : CompressionStreamContract
{
    protected override string Format => "xz";

    protected override int HighLevel => 6;

    protected override Stream Compressor(Stream output, bool leaveOpen = false, int? level = null) =>
        new XzCompressStream(output, level ?? 1, leaveOpen);

    protected override Stream Decompressor(Stream input, bool leaveOpen = false) => new XzDecompressStream(input, leaveOpen);

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
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new XzCompressStream(new MemoryStream(), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new XzCompressStream(new MemoryStream(), -1));
        using var writeOnly = new ZstdCompressStream(new MemoryStream(), 1);
        Assert.Throws<ArgumentException>(() => new XzDecompressStream(writeOnly));
    }
}
