using Vega.Lite.Core.IO;

namespace Vega.Lite.Core.Compression;

/// <summary>The values of a narinfo's <c>Compression:</c> field that this server can read.</summary>
public static class CompressionNames
{
    public const string None = "none";
    public const string Zstd = "zstd";
    public const string Xz = "xz";
    public const string Brotli = "br";

    /// <summary>True for the names <see cref="OpenDecompressor"/> accepts.</summary>
    public static bool IsSupported(string nixCompressionName) =>
        nixCompressionName is None or Zstd or Xz or Brotli;

    /// <summary>
    /// Wraps <paramref name="inner"/> in a decompressor for the given narinfo compression name.
    /// The returned stream owns <paramref name="inner"/> unless <paramref name="leaveOpen"/> is set.
    /// </summary>
    /// <exception cref="NotSupportedException">For any other name, e.g. <c>Unsupported compression "bzip2"</c>.</exception>
    public static Stream OpenDecompressor(string nixCompressionName, Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(nixCompressionName);
        ArgumentNullException.ThrowIfNull(inner);
        return nixCompressionName switch
        {
            None => leaveOpen ? new NonClosingStream(inner) : inner,
            Zstd => new ZstdDecompressStream(inner, leaveOpen),
            Xz => new XzDecompressStream(inner, leaveOpen),
            Brotli => new BrotliDecompressStream(inner, leaveOpen),
            _ => throw new NotSupportedException($"Unsupported compression \"{nixCompressionName}\""),
        };
    }
}
