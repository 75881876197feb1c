using Vega.Lite.Core.Nix;
using Vega.Lite.Http;

namespace Vega.Lite.Api;

/// <summary>Validation of the names in binary-cache URLs, done before any lookup.</summary>
internal static class PathNames
{
    /// <summary>Attic answers a bad cache name in a path with a plain-text 400 (axum's path rejection).</summary>
    public static IResult InvalidCacheName(string cache) =>
        Results.Text($"Invalid URL: \"{Printable.Truncate(cache)}\" is not a valid cache name", statusCode: 400);

    /// <summary>
    /// Splits <c>{hash}.{suffix}</c> at the first dot, as Attic does. False (→ 404) when the suffix differs;
    /// the hash is returned unvalidated so the caller can tell a malformed hash (→ 400) apart.
    /// </summary>
    public static bool TrySplit(string file, string suffix, out string hash)
    {
        var dot = file.IndexOf('.');
        hash = dot < 0 ? file : file[..dot];
        return dot >= 0 && file.AsSpan(dot + 1).SequenceEqual(suffix);
    }

    /// <summary>
    /// Checks the <c>{hash}.{suffix}</c> of <c>/{cache}/{hash}.{suffix}</c> (the route group has checked the cache
    /// name) before any lookup, in Attic's order: another suffix 404 <c>NotFound</c>, a malformed hash 400. Null
    /// when it is well-formed.
    /// </summary>
    public static IResult? CheckFile(string file, string suffix, out string hash)
    {
        if (!TrySplit(file, suffix, out hash))
        {
            return ApiError.NotFound;
        }
        return StorePathHash.IsValid(hash) ? null : ApiError.InvalidStorePathHash(hash);
    }
}
