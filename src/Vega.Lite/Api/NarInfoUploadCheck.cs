using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>What an uploaded narinfo must agree with before any lookup: its URL's path, the cache's store dir, its name.</summary>
internal static class NarInfoUploadCheck
{
    /// <summary>Null when consistent, else the reason (sent back as a 400).</summary>
    public static string? Check(NarInfo info, string urlHash, CacheRecord cache)
    {
        if (!StorePath.TryParse(info.StorePath, out var storePath, out var error))
        {
            return $"invalid StorePath: {error}";
        }
        if (storePath!.Hash != urlHash)
        {
            return $"StorePath {info.StorePath} does not match the narinfo's name {urlHash}.narinfo";
        }
        if (storePath.StoreDir != cache.StoreDir)
        {
            return $"StorePath {info.StorePath} is not in the cache's store directory {cache.StoreDir}";
        }
        if (!info.Url.StartsWith("nar/", StringComparison.Ordinal) || !NixUploadNames.TryParse(info.Url["nar/".Length..], out _, out _))
        {
            return $"URL \"{info.Url}\" must name an uploaded NAR file: nar/<file hash>.nar[.xz|.zst|.br]";
        }
        return null;
    }
}
