namespace Vega.Lite.Core.Tests.Compression;

/// <summary>
/// What every compress/decompress stream pair must do, whatever the format: round trips (sync, async, trickled),
/// flush, truncation and garbage as <see cref="InvalidDataException"/>, double dispose, leaveOpen. Each format's test
/// class derives from this and adds what is particular to its format.
/// </summary>
public abstract class CompressionStreamContract
{
    /// <summary>The format's name as its errors say it: "Truncated {Format} input".</summary>
    protected abstract string Format { get; }

    /// <summary>A high level or preset of the format (xz 6, zstd 19): its own window and match finder, not the fast one's.</summary>
    protected abstract int HighLevel { get; }

    /// <summary>A compressor at the format's usual test level, or at <paramref name="level"/>.</summary>
    protected abstract Stream Compressor(Stream output, bool leaveOpen = false, int? level = null);

    protected abstract Stream Decompressor(Stream input, bool leaveOpen = false);

    private byte[] CompressAll(byte[] data, int? level = null)
    {
        var output = new MemoryStream();
        using (var compressor = Compressor(output, leaveOpen: true, level))
        {
            SlicedIo.WriteSliced(compressor, data);
        }
        return output.ToArray();
    }

    private byte[] DecompressAll(byte[] compressed, int maxChunk = int.MaxValue)
    {
        using var decompressor = Decompressor(new TrickleStream(compressed, maxChunk));
        return SlicedIo.ReadAllSliced(decompressor);
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
        Assert.Equal(data, DecompressAll(CompressAll(data)));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task RoundTripAsync(string input)
    {
        byte[] data = Input(input);
        var output = new MemoryStream();
        await using (var compressor = Compressor(output, leaveOpen: true))
        {
            await SlicedIo.WriteSlicedAsync(compressor, data);
        }

        await using var reader = Decompressor(new TrickleStream(output.ToArray(), 3000));
        Assert.Equal(data, await SlicedIo.ReadAllSlicedAsync(reader));
    }

    [Fact]
    public void TrickledInputOneByteAtATime()
    {
        byte[] data = TestData.Compressible(200_000);
        Assert.Equal(data, DecompressAll(CompressAll(data, HighLevel), maxChunk: 1));
    }

    [Fact]
    public void FlushMakesWrittenDataDecodable()
    {
        var output = new MemoryStream();
        using var compressor = Compressor(output, leaveOpen: true, HighLevel);
        compressor.Write("hello, "u8);
        compressor.Write("world"u8);
        compressor.Flush();

        using var reader = Decompressor(new MemoryStream(output.ToArray()));
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
    [InlineData(12)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void TruncatedInputThrows(int cut)
    {
        byte[] compressed = CompressAll(TestData.Compressible(400_000));
        byte[] truncated = cut > 0 ? compressed[..^cut] : compressed[..(compressed.Length / 2)];
        var error = Assert.Throws<InvalidDataException>(() => DecompressAll(truncated));
        Assert.Equal($"Truncated {Format} input", error.Message);
    }

    [Fact]
    public async Task TruncatedInputThrowsAsync()
    {
        byte[] compressed = CompressAll(TestData.Compressible(400_000));
        await using var reader = Decompressor(new TrickleStream(compressed[..^5], 1000));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SlicedIo.ReadAllSlicedAsync(reader));
        Assert.Equal($"Truncated {Format} input", error.Message);
    }

    [Fact]
    public void EmptyInputThrowsLikeTheCli() => Assert.Throws<InvalidDataException>(() => DecompressAll([]));

    [Fact]
    public void GarbageThrows()
    {
        var error = Assert.Throws<InvalidDataException>(() => DecompressAll(TestData.Random(10_000, seed: 99)));
        Assert.Contains(Format, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingGarbageThrows()
    {
        byte[] joined = [.. CompressAll([1, 2, 3]), .. TestData.Random(100, seed: 98)];
        Assert.Throws<InvalidDataException>(() => DecompressAll(joined));
    }

    [Fact]
    public void CorruptedPayloadThrows()
    {
        byte[] compressed = CompressAll(TestData.Random(100_000));
        compressed[compressed.Length / 2] ^= 0x55;
        Assert.Throws<InvalidDataException>(() => DecompressAll(compressed));
    }

    [Fact]
    public async Task DisposeTwiceIsSafe()
    {
        var output = new MemoryStream();
        var writer = Compressor(output, leaveOpen: true);
        writer.Write([1, 2, 3]);
        writer.Dispose();
        writer.Dispose();
        await writer.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => writer.Write([4]));
        Assert.False(writer.CanWrite);

        var reader = Decompressor(new MemoryStream(output.ToArray()));
        await reader.DisposeAsync();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.ReadByte());
    }

    [Fact]
    public void LeaveOpenIsHonoured()
    {
        var kept = new MemoryStream();
        Compressor(kept, leaveOpen: true).Dispose();
        Assert.True(kept.CanWrite);

        var closed = new MemoryStream();
        Compressor(closed).Dispose();
        Assert.False(closed.CanWrite);

        var source = new TrickleStream(kept.ToArray(), 100);
        Decompressor(source, leaveOpen: true).Dispose();
        Assert.False(source.WasDisposed);
        Decompressor(source).Dispose();
        Assert.True(source.WasDisposed);
    }
}
