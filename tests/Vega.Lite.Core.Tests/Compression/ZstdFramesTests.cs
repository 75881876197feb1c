using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests.Compression;

/// <summary>One-shot frames for NAR chunks: each decodes alone, and chunks back to back decode as the whole NAR.</summary>
public sealed class ZstdFramesTests
{
    private static byte[] Frame(byte[] data, int level)
    {
        var frame = new byte[ZstdFrames.MaxCompressedLength(data.Length)];
        return frame[..ZstdFrames.Compress(data, frame, level, tableSize: 131_072)];
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

    /// <summary>
    /// The window a frame declares: a single-segment frame's covers its whole content; otherwise the descriptor after
    /// the header byte gives it (RFC 8878, 3.1.1.1.2).
    /// </summary>
    private static long? DeclaredWindow(byte[] frame)
    {
        var singleSegment = (frame[4] & 0x20) != 0;
        if (singleSegment)
        {
            return null;
        }
        var exponent = frame[5] >> 3;
        var mantissa = frame[5] & 7;
        var windowBase = 1L << (10 + exponent);
        return windowBase + windowBase / 8 * mantissa;
    }

    [Fact]
    public void Tables_are_capped_at_the_table_size_and_a_larger_chunk_still_round_trips()
    {
        var chunk = TestData.Compressible(262_144);
        var capped = new byte[ZstdFrames.MaxCompressedLength(chunk.Length)];
        capped = capped[..ZstdFrames.Compress(chunk, capped, level: 8, tableSize: 131_072)];
        Assert.InRange(Assert.NotNull(DeclaredWindow(capped)), 1, 131_072); // a window of its own, within the cap
        Assert.Equal(chunk, Decode(capped));

        var uncapped = new byte[ZstdFrames.MaxCompressedLength(chunk.Length)];
        uncapped = uncapped[..ZstdFrames.Compress(chunk, uncapped, level: 8, tableSize: chunk.Length)];
        Assert.True(DeclaredWindow(uncapped) is null or >= 262_144, "uncapped, the window covers the whole chunk");
        Assert.Equal(chunk, Decode(uncapped));
    }

    [Fact]
    public void A_destination_smaller_than_the_bound_is_refused()
    {
        var chunk = TestData.Compressible(10_000);
        var tooSmall = new byte[ZstdFrames.MaxCompressedLength(chunk.Length) - 1];
        Assert.Throws<ArgumentOutOfRangeException>(() => ZstdFrames.Compress(chunk, tooSmall, 3, tableSize: 131_072));
    }

    [Fact]
    public void A_level_zstd_does_not_have_is_refused()
    {
        var chunk = TestData.Compressible(1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => ZstdFrames.Compress(chunk, new byte[ZstdFrames.MaxCompressedLength(1000)], 1000, tableSize: 131_072));
    }
}
