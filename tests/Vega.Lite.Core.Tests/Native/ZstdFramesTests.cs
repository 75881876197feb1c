using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests;

/// <summary>One-shot frames for NAR chunks: each decodes alone, and chunks back to back decode as the whole NAR.</summary>
public sealed class ZstdFramesTests
{
    private static byte[] Frame(byte[] data, int level)
    {
        var frame = new byte[ZstdFrames.MaxCompressedLength(data.Length)];
        return frame[..ZstdFrames.Compress(data, frame, level)];
    }

    private static byte[] Decode(byte[] compressed)
    {
        using var zstd = new ZstdDecompressStream(new MemoryStream(compressed));
        var output = new MemoryStream();
        zstd.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 8)]
    [InlineData(65_536, 8)]
    [InlineData(262_144, 19)]
    public void A_frame_decodes_to_its_chunk(int size, int level)
    {
        var chunk = TestData.Compressible(size);
        var frame = Frame(chunk, level);
        Assert.Equal(chunk, Decode(frame));
        if (size >= 65_536)
        {
            Assert.True(frame.Length < size / 2, $"{size} bytes of text compressed only to {frame.Length}");
        }
    }

    [Fact]
    public void Frames_back_to_back_decode_as_one_stream_whatever_the_level_of_each()
    {
        var whole = TestData.Compressible(500_000);
        var parts = new[] { whole[..100_000], whole[100_000..350_000], whole[350_000..] };
        var stream = parts.Select((part, i) => Frame(part, level: i * 4 + 1)).SelectMany(f => f).ToArray();
        Assert.Equal(whole, Decode(stream));
    }

    [Fact]
    public void Concurrent_compressions_on_pooled_contexts_do_not_mix_their_output()
    {
        var chunks = Enumerable.Range(0, 64).Select(i => TestData.Compressible(20_000 + i * 997)).ToArray();
        var frames = new byte[chunks.Length][];
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => frames[i] = Frame(chunks[i], level: 3 + i % 2 * 5));
        for (var i = 0; i < chunks.Length; i++)
        {
            Assert.Equal(chunks[i], Decode(frames[i]));
        }
    }

    [Fact]
    public void A_destination_smaller_than_the_bound_is_refused()
    {
        var chunk = TestData.Compressible(10_000);
        var tooSmall = new byte[ZstdFrames.MaxCompressedLength(chunk.Length) - 1];
        Assert.Throws<ArgumentOutOfRangeException>(() => ZstdFrames.Compress(chunk, tooSmall, 3));
    }

    [Fact]
    public void A_level_zstd_does_not_have_is_refused()
    {
        var chunk = TestData.Compressible(1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => ZstdFrames.Compress(chunk, new byte[ZstdFrames.MaxCompressedLength(1000)], 1000));
    }
}
