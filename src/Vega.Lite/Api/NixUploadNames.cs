using Vega.Lite.Core.Nix;

namespace Vega.Lite.Api;

/// <summary>
/// The NAR file names `nix copy` uploads: <c>&lt;52-char nix32 SHA-256 of the file&gt;.nar[.xz|.zst|.br|…]</c>.
/// </summary>
internal static class NixUploadNames
{
    private const int HashLength = 52;

    /// <summary>
    /// True for a well-formed name; <paramref name="compression"/> is the narinfo compression name its extension
    /// implies (which may still be one we cannot decompress).
    /// </summary>
    public static bool TryParse(string file, out string fileHashNix32, out string compression)
    {
        fileHashNix32 = "";
        compression = "";
        if (file.Length < HashLength + 4 || !file.AsSpan(HashLength).StartsWith(".nar") || !IsNix32(file.AsSpan(0, HashLength)))
        {
            return false;
        }
        compression = file[(HashLength + 4)..] switch
        {
            "" => "none",
            ".xz" => "xz",
            ".zst" => "zstd",
            ".br" => "br",
            ".bz2" => "bzip2",
            ".lz4" => "lz4",
            ".lzip" => "lzip",
            _ => "",
        };
        fileHashNix32 = file[..HashLength];
        return compression.Length > 0;
    }

    private static bool IsNix32(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!Nix32.IsValidChar(c))
            {
                return false;
            }
        }
        return true;
    }
}
