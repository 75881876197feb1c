using Vega.Lite.Auth;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Config;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Nix;
using Vega.Lite.Http;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary><c>/_api/v1/cache-config/{cache}</c> (attic-api.md §3.5) and its alias <c>/{cache}/attic-cache-info</c>.</summary>
internal static class CacheConfigEndpoints
{
    /// <summary>axum's default JSON body limit, which Attic inherits.</summary>
    public const long JsonBodyLimit = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapCacheConfig(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_api/v1/cache-config/{cache}", GetAsync);
        app.MapGet("/{cache}/attic-cache-info", GetAsync);
        app.MapPost("/_api/v1/cache-config/{cache}", CreateAsync);
        app.MapPatch("/_api/v1/cache-config/{cache}", CacheConfigureEndpoints.ConfigureAsync);
        app.MapDelete("/_api/v1/cache-config/{cache}", CacheConfigureEndpoints.DestroyAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string cache, HttpContext context, CacheAccess access, ServerConfig config)
    {
        if (!PathNames.IsValidCacheName(cache))
        {
            return PathNames.InvalidCacheName(cache);
        }
        var (record, error) = await access.AuthorizeAsync(context, cache, CachePermissionBit.Pull, context.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var body = new CacheConfig
        {
            SubstituterEndpoint = PublicEndpoints.Substituter(context, config, record!.Name),
            ApiEndpoint = PublicEndpoints.Api(context, config),
            PublicKey = record.Keypair.PublicKey.ToString(),
            IsPublic = record.IsPublic,
            StoreDir = record.StoreDir,
            Priority = record.Priority,
            UpstreamCacheKeyNames = [.. record.UpstreamCacheKeyNames],
            RetentionPeriod = new RetentionPeriodConfig(record.RetentionPeriod),
        };
        return JsonResults.Ok(body, AtticJsonContext.Wire.CacheConfig);
    }

    private static async Task<IResult> CreateAsync(string cache, HttpContext context, MetadataStore metadata, CacheDirectory caches)
    {
        if (!PathNames.IsValidCacheName(cache))
        {
            return PathNames.InvalidCacheName(cache);
        }
        var (request, invalid) = await JsonBodies.ReadAsync(context, AtticJsonContext.Default.CreateCacheRequest);
        if (invalid is not null)
        {
            return invalid; // the body is read first, as axum's extractor does, so its errors come before auth's
        }
        if (CacheAccess.AuthorizeByToken(context, cache, CachePermissionBit.CreateCache) is { } denied)
        {
            return denied;
        }
        NixKeypair keypair;
        if (request!.Keypair.IsGenerate)
        {
            keypair = NixKeypair.Generate(cache);
        }
        else if (!NixKeypair.TryParse(request.Keypair.Keypair!, out var supplied, out var keyError))
        {
            return JsonBodies.Unprocessable($"keypair: {keyError}");
        }
        else
        {
            keypair = supplied!;
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
}
