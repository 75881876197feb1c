using System.Security.Cryptography;
using Vega.Lite.Core.Chunking;

namespace Vega.Lite.Core.Tests.Chunking;

public sealed class ChunkReaderTests
{
    private static readonly FastCdc Attic = new(16 * 1024, 64 * 1024, 256 * 1024);

    private static async Task<List<byte[]>> Chunks(Stream input, FastCdc cdc)
    {
        using var reader = new ChunkReader(input, cdc);
        var chunks = new List<byte[]>();
        while (true)
        {
            var chunk = await reader.NextAsync(CancellationToken.None);
            if (chunk.IsEmpty)
            {
                return chunks;
            }
            chunks.Add(chunk.ToArray());
        }
    }

    private static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData(300 * 1024)]
    [InlineData(5 * 1024 * 1024 + 17)]
    public async Task Chunks_put_back_together_are_the_input_and_respect_the_bounds(int length)
    {
        var data = Random(length, length);
        var chunks = await Chunks(new MemoryStream(data), Attic);
        Assert.Equal(data, chunks.SelectMany(c => c).ToArray());
        Assert.All(chunks.SkipLast(1), c => Assert.InRange(c.Length, Attic.MinSize + 1, Attic.MaxSize));
        Assert.All(chunks, c => Assert.NotEmpty(c));
        Assert.Equal(length == 0 ? 0 : 1, Math.Min(chunks.Count, 1));
    }

    [Fact]
    public async Task Chunk_sizes_cluster_around_the_average()
    {
        var chunks = await Chunks(new MemoryStream(Random(16 * 1024 * 1024, 7)), Attic);
        var mean = chunks.SkipLast(1).Average(c => c.Length);
        Assert.InRange(mean, Attic.AvgSize * 0.6, Attic.AvgSize * 1.6);
        Assert.True(chunks.Count(c => c.Length == Attic.MaxSize) < chunks.Count / 10, "too many chunks hit the maximum size");
    }

    [Fact]
    public async Task Cut_points_depend_on_content_not_on_how_the_stream_is_read()
    {
        var data = Random(3 * 1024 * 1024, 11);
        var whole = await Chunks(new MemoryStream(data), Attic);
        var trickled = await Chunks(new TrickleStream(data, 1000), Attic);
        Assert.Equal(whole.Select(Convert.ToHexString), trickled.Select(Convert.ToHexString));
    }

    [Fact]
    public async Task An_insertion_near_the_start_changes_only_the_chunks_around_it()
    {
        var original = Random(8 * 1024 * 1024, 3);
        var edited = original[..100_000].Concat(Random(5000, 4)).Concat(original[100_000..]).ToArray();
        var before = (await Chunks(new MemoryStream(original), Attic)).Select(c => Convert.ToHexString(SHA256.HashData(c))).ToHashSet();
        var after = (await Chunks(new MemoryStream(edited), Attic)).Select(c => Convert.ToHexString(SHA256.HashData(c))).ToList();
        var shared = after.Count(before.Contains);
        Assert.True(shared >= after.Count - 4, $"only {shared} of {after.Count} chunks survived a 5000-byte insertion");
    }

    [Fact]
    public void Sizes_out_of_order_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new FastCdc(1024, 512, 4096));
        Assert.Throws<ArgumentException>(() => new FastCdc(1024, 2048, 1500));
        Assert.Throws<ArgumentException>(() => new FastCdc(16, 64, 256));
    }
}
