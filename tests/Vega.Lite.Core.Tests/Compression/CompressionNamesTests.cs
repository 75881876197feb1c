using System.IO.Compression;
using Vega.Lite.Core.Compression;

namespace Vega.Lite.Core.Tests.Compression;

public sealed class CompressionNamesTests
{
    private static readonly byte[] Data = TestData.Compressible(200_000, seed: 30);

    private static byte[] Encode(string name)
    {
        var output = new MemoryStream();
        Stream encoder = name switch
        {
            "zstd" => new ZstdCompressStream(output, 3, leaveOpen: true),
            "xz" => new XzCompressStream(output, 1, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        using (encoder)
        {
            encoder.Write(Data);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("xz")]
    [InlineData("br")]
    public void OpensADecompressor(string name)
    {
        using Stream decoder = CompressionNames.OpenDecompressor(name, new MemoryStream(Encode(name)));
        var result = new MemoryStream();
        decoder.CopyTo(result);
        Assert.Equal(Data, result.ToArray());
        Assert.True(CompressionNames.IsSupported(name));
    }

    [Fact]
    public void NoneReturnsTheInnerStream()
    {
        var inner = new MemoryStream(Data);
        Assert.Same(inner, CompressionNames.OpenDecompressor("none", inner));
    }

    [Theory]
    [InlineData("bzip2")]
    [InlineData("lzip")]
    [InlineData("ZSTD")]
    [InlineData("")]
    public void RejectsOtherNames(string name)
    {
        var error = Assert.Throws<NotSupportedException>(() => CompressionNames.OpenDecompressor(name, new MemoryStream()));
        Assert.Equal($"Unsupported compression \"{name}\"", error.Message);
        Assert.False(CompressionNames.IsSupported(name));
    }
}
