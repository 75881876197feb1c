using System.Diagnostics;
using System.Text;
using Vega.Lite.Auth;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;
using Vega.Lite.Storage;

namespace Vega.Lite.Api;

/// <summary>The Nix binary-cache read side: <c>nix-cache-info</c>, narinfo and NAR, for GET and HEAD.</summary>
internal static class BinaryCacheEndpoints
{
    public const string VisibilityHeader = "X-Attic-Cache-Visibility";

    public static async Task<IResult> GetCacheInfoAsync(string cache, HttpContext context, CacheAccess access)
    {
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Pull, context.RequestAborted);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        MarkVisibility(context, auth.Cache);
        var body = $"WantMassQuery: 1\nStoreDir: {auth.Cache.StoreDir}\nPriority: {auth.Cache.Priority}\n";
        return Results.Bytes(Encoding.UTF8.GetBytes(body), "text/x-nix-cache-info");
    }

    public static async Task<IResult> GetNarInfoAsync(
        string cache, string file, HttpContext context, CacheDirectory caches, MetadataStore metadata, NarInfoCache narInfos,
        ServerMetrics metrics)
    {
        if (PathNames.CheckFile(file, "narinfo", out var hash) is { } invalid)
        {
            return invalid;
        }
        var ct = context.RequestAborted;
        // Flow C: existence first, then permission (Attic's order: 404 means absent for everyone).
        var record = await caches.GetAsync(cache, ct);
        if (record is null)
        {
            return ApiError.NoSuchObject;
        }
        if (!narInfos.TryGet(cache, hash, out var body))
        {
            var generation = narInfos.Generation(cache);
            var started = Stopwatch.GetTimestamp();
            var stored = await metadata.FindObjectAsync(cache, hash, ct);
            metrics.Database("narinfo", started);
            body = stored is null ? [] : ServedNarInfo.Render(record, stored);
            narInfos.Store(cache, hash, body, generation);
        }
        if (body.Length == 0)
        {
            return ApiError.NoSuchObject;
        }
        if (CacheAccess.AuthorizeExisting(context, record, CachePermissionBit.Pull) is { } denied)
        {
            return denied;
        }
        MarkVisibility(context, record);
        return Results.Bytes(body, "text/x-nix-narinfo");
    }

    public static async Task<IResult> GetNarAsync(
        string cache, string file, HttpContext context, CacheDirectory caches, MetadataStore metadata, IBlobStorage storage,
        ServerMetrics metrics)
    {
        if (NixUploadNames.TryParse(file, out _, out _))
        {
            return ApiError.NotFound; // an upload's name (HEAD has its own route); served NARs are nar/<store path hash>.nar
        }
        if (PathNames.CheckFile(file, "nar", out var hash) is { } invalid)
        {
            return invalid;
        }
        var ct = context.RequestAborted;
        var record = await caches.GetAsync(cache, ct);
        var started = Stopwatch.GetTimestamp();
        var chunks = record is null ? null : await metadata.GetNarChunksForDownloadAsync(cache, hash, ct);
        metrics.Database("nar", started);
        if (record is null || chunks is null)
        {
            return ApiError.NoSuchObject;
        }
        if (CacheAccess.AuthorizeExisting(context, record, CachePermissionBit.Pull) is { } denied)
        {
            return denied;
        }
        if (!chunks.IsComplete)
        {
            return ApiError.IncompleteNar;
        }
        MarkVisibility(context, record);
        return new NarStreamResult(storage, chunks, metrics, started);
    }

    private static void MarkVisibility(HttpContext context, CacheRecord cache)
    {
        if (cache.IsPublic)
        {
            context.Response.Headers[VisibilityHeader] = "public";
        }
    }
}
