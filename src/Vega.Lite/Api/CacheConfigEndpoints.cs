using System.Diagnostics.CodeAnalysis;
using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// <c>/_api/v1/cache-config/{cache}</c> (docs/attic-api.md §3.5): read (also as <c>/{cache}/attic-cache-info</c>),
/// create, configure and destroy a cache. The cache name is checked by the route group.
/// </summary>
internal static class CacheConfigEndpoints
{
    private static readonly ApiError NoModifiableFields = ApiError.Request("No modifiable fields were set.");

    public static async Task<IResult> GetAsync(string cache, HttpContext context, CacheAccess access, ServerConfig config)
    {
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Pull, context.RequestAborted);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        return JsonResults.Ok(Describe(auth.Cache, context, config), AtticJsonContext.Wire.CacheConfig);
    }

    /// <summary>
    /// <c>GET /_api/v1/caches</c> (not in Attic: its #168, PRs #367–#369 still open): every live cache the caller may
    /// read (public ones for anyone, private ones its token may pull from), as an object from name to the cache-config
    /// JSON above, in name order. An invalid token reads as no token, as everywhere.
    /// </summary>
    public static async Task<IResult> ListAsync(HttpContext context, MetadataStore metadata, ServerConfig config)
    {
        var caller = Caller.Of(context);
        var visible = new Dictionary<string, CacheConfig>(StringComparer.Ordinal);
        foreach (var cache in await metadata.ListCachesAsync(context.RequestAborted))
        {
            if (cache.IsPublic || caller.TokenPermission(cache.Name).Has(CachePermissionBit.Pull))
            {
                visible[cache.Name] = Describe(cache, context, config);
            }
        }
        return JsonResults.Ok(visible, AtticJsonContext.Wire.CacheConfigsByName);
    }

    /// <summary>A cache as Attic's cache-config JSON (<c>attic cache info</c> reads it).</summary>
    private static CacheConfig Describe(CacheRecord record, HttpContext context, ServerConfig config) => new()
    {
        SubstituterEndpoint = PublicEndpoints.Substituter(context, config, record.Name),
        ApiEndpoint = PublicEndpoints.Api(context, config),
        PublicKey = record.Keypair.PublicKey.ToString(),
        IsPublic = record.IsPublic,
        StoreDir = record.StoreDir,
        Priority = record.Priority,
        UpstreamCacheKeyNames = [.. record.UpstreamCacheKeyNames],
        RetentionPeriod = new RetentionPeriodConfig(record.RetentionPeriod),
    };

    public static async Task<IResult> CreateAsync(string cache, HttpContext context, MetadataStore metadata, CacheDirectory caches)
    {
        var (request, invalid) = await JsonBodies.ReadAsync(context, AtticJsonContext.Default.CreateCacheRequest);
        if (invalid is not null)
        {
            return invalid; // the body is read first, as axum's extractor does, so its errors come before auth's
        }
        if (CacheAccess.AuthorizeByToken(context, cache, CachePermissionBit.CreateCache) is { } denied)
        {
            return denied;
        }
        if (!TryMakeKeypair(request!.Keypair, cache, out var keypair, out var keyError))
        {
            return JsonBodies.Unprocessable(keyError);
        }
        var created = await metadata.CreateCacheAsync(
            new NewCache(cache, keypair, request.IsPublic, request.StoreDir, request.Priority, request.UpstreamCacheKeyNames),
            context.RequestAborted);
        if (!created)
        {
            return ApiError.CacheAlreadyExists;
        }
        caches.Invalidate(cache);
        return Results.Ok();
    }

    /// <summary>
    /// Configure: needs <c>cr</c>, and <c>cq</c> when the retention period changes. Unlike Attic, a
    /// <c>"Global"</c> retention on a cache that already uses the global default is not a change and needs no
    /// <c>cq</c>: the attic client sends it with every <c>cache configure</c> (Attic issue #350).
    /// </summary>
    public static async Task<IResult> ConfigureAsync(
        string cache, HttpContext context, CacheAccess access, MetadataStore metadata, CacheDirectory caches, NarInfoCache narInfos)
    {
        var (request, invalid) = await JsonBodies.ReadAsync(context, AtticJsonContext.Default.CacheConfig);
        if (invalid is not null)
        {
            return invalid;
        }
        var ct = context.RequestAborted;
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.ConfigureCache, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        var retention = request!.RetentionPeriod;
        var retentionChanges = retention is not null && retention.Period != auth.Cache.RetentionPeriod;
        if (retentionChanges && !Caller.Of(context).TokenPermission(cache).Has(CachePermissionBit.ConfigureCacheRetention))
        {
            return ApiError.AccessError; // checked after the cache lookup, so never hidden as 401 (as in Attic)
        }
        if (retention?.Period > int.MaxValue)
        {
            return ApiError.Request("Invalid retention period");
        }
        NixKeypair? keypair = null;
        if (request.Keypair is { } keypairConfig && !TryMakeKeypair(keypairConfig, cache, out keypair, out var keyError))
        {
            return ApiError.Request(keyError);
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
        var updated = await metadata.UpdateCacheAsync(auth.Cache.Id, update, ct);
        caches.Invalidate(cache);
        narInfos.InvalidateCache(cache);
        return updated ? Results.Ok() : ApiError.NoSuchCache;
    }

    /// <summary>Destroy: needs <c>cd</c>; soft or hard per <c>soft-delete-caches</c>.</summary>
    public static async Task<IResult> DestroyAsync(
        string cache, HttpContext context, CacheAccess access, MetadataStore metadata, CacheDirectory caches, NarInfoCache narInfos,
        ServerConfig config)
    {
        var ct = context.RequestAborted;
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.DestroyCache, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        var deleted = await metadata.DeleteCacheAsync(auth.Cache.Id, config.SoftDeleteCaches, ct);
        caches.Invalidate(cache);
        narInfos.InvalidateCache(cache);
        return deleted ? Results.Ok() : ApiError.NoSuchCache;
    }

    /// <summary>Attic's <c>KeypairConfig</c>: a fresh key named after the cache, or the one given, checked.</summary>
    private static bool TryMakeKeypair(
        KeypairConfig config, string cache, [NotNullWhen(true)] out NixKeypair? keypair, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (config.IsGenerate)
        {
            keypair = NixKeypair.Generate(cache);
            return true;
        }
        if (NixKeypair.TryParse(config.Keypair!, out keypair, out var parseError))
        {
            return true;
        }
        error = $"keypair: {parseError}";
        return false;
    }
}
