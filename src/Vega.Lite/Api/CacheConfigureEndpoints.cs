using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary><c>PATCH</c> and <c>DELETE /_api/v1/cache-config/{cache}</c> (attic-api.md §3.5.3, §3.5.4).</summary>
internal static class CacheConfigureEndpoints
{
    private static readonly ApiError NoModifiableFields = ApiError.Request("No modifiable fields were set.");

    /// <summary>
    /// Configure: needs <c>cr</c>, and <c>cq</c> when the retention period changes. Unlike Attic, a
    /// <c>"Global"</c> retention on a cache that already uses the global default is not a change and needs no
    /// <c>cq</c>: the attic client sends it with every <c>cache configure</c> (Attic issue #350).
    /// </summary>
    public static async Task<IResult> ConfigureAsync(
        string cache, HttpContext context, CacheAccess access, MetadataStore metadata, CacheDirectory caches, NarInfoCache narInfos)
    {
        if (!PathNames.IsValidCacheName(cache))
        {
            return PathNames.InvalidCacheName(cache);
        }
        var (request, invalid) = await JsonBodies.ReadAsync(context, AtticJsonContext.Default.CacheConfig);
        if (invalid is not null)
        {
            return invalid;
        }
        var ct = context.RequestAborted;
        var (record, denied) = await access.AuthorizeAsync(context, cache, CachePermissionBit.ConfigureCache, ct);
        if (denied is not null)
        {
            return denied;
        }
        var retention = request!.RetentionPeriod;
        var retentionChanges = retention is not null && retention.Period != record!.RetentionPeriod;
        if (retentionChanges && !Caller.Of(context).TokenPermission(cache).Has(CachePermissionBit.ConfigureCacheRetention))
        {
            return ApiError.AccessError; // checked after the cache lookup, so never hidden as 401 (as in Attic)
        }
        if (retention?.Period > int.MaxValue)
        {
            return ApiError.Request("Invalid retention period");
        }
        NixKeypair? keypair = null;
        if (request.Keypair is { } keypairConfig)
        {
            if (keypairConfig.IsGenerate)
            {
                keypair = NixKeypair.Generate(cache);
            }
            else if (!NixKeypair.TryParse(keypairConfig.Keypair!, out keypair, out var keyError))
            {
                return ApiError.Request($"keypair: {keyError}");
            }
        }
        var update = new CacheUpdate(
            keypair,
            request.IsPublic,
            request.StoreDir,
            request.Priority,
            request.UpstreamCacheKeyNames,
            retention is null ? null : new RetentionUpdate(retention.Period));
        if (update == new CacheUpdate(null, null, null, null, null, null))
        {
            return NoModifiableFields;
        }
        var updated = await metadata.UpdateCacheAsync(record!.Id, update, ct);
        caches.Invalidate(cache);
        narInfos.InvalidateCache(cache);
        return updated ? Results.Ok() : ApiError.NoSuchCache;
    }

    /// <summary>Destroy: needs <c>cd</c>; soft or hard per <c>soft-delete-caches</c>.</summary>
    public static async Task<IResult> DestroyAsync(
        string cache, HttpContext context, CacheAccess access, MetadataStore metadata, CacheDirectory caches, NarInfoCache narInfos,
        ServerConfig config)
    {
        if (!PathNames.IsValidCacheName(cache))
        {
            return PathNames.InvalidCacheName(cache);
        }
        var ct = context.RequestAborted;
        var (record, denied) = await access.AuthorizeAsync(context, cache, CachePermissionBit.DestroyCache, ct);
        if (denied is not null)
        {
            return denied;
        }
        var deleted = await metadata.DeleteCacheAsync(record!.Id, config.SoftDeleteCaches, ct);
        caches.Invalidate(cache);
        narInfos.InvalidateCache(cache);
        return deleted ? Results.Ok() : ApiError.NoSuchCache;
    }
}
