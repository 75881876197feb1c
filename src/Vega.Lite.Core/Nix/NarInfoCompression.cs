namespace Vega.Lite.Core.Nix;

/// <summary>The <c>Compression</c> values Nix knows (<c>compression-algo.hh</c>; enforced from Nix 2.35).</summary>
internal static class NarInfoCompression
{
    private static readonly string[] Names =
        ["none", "br", "bzip2", "compress", "grzip", "gzip", "lrzip", "lz4", "lzip", "lzma", "lzop", "xz", "zstd"];

    public static readonly string List = string.Join(", ", Names);

    /// <summary>The interned name equal to <paramref name="value"/>, or null when unknown.</summary>
    public static string? Find(ReadOnlySpan<char> value)
    {
        foreach (string name in Names)
        {
            if (value.SequenceEqual(name))
            {
                return name;
            }
        }

        return null;
    }
}
