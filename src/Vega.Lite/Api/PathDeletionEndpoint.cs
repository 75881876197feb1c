using Vega.Lite.Auth;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// Beyond Attic (its issue #265): <c>DELETE /{cache}/{hash}.narinfo</c> removes a store path from a cache, guarded by
/// the token's <c>d</c> bit, so a path pushed by mistake (a secret, say) stops being served at once. Its NAR and
/// chunks go at the next garbage collection if nothing else refers to them.
/// </summary>
internal static class PathDeletionEndpoint
{
    public static async Task<IResult> DeleteAsync(
        string cache, string file, HttpContext context, CacheAccess access, MetadataStore metadata, NarInfoCache narInfos)
    {
        if (PathNames.CheckFile(file, "narinfo", out var hash) is { } invalid)
        {
            return invalid;
        }
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Delete, context.RequestAborted);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        var deleted = await metadata.DeleteObjectAsync(auth.Cache.Id, hash, context.RequestAborted);
        narInfos.Invalidate(cache, hash);
        return deleted ? Results.Ok() : ApiError.NoSuchObject;
    }
}
