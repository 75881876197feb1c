using Vega.Lite.Config;
using Vega.Lite.Core.Caches;
using Vega.Lite.Observability;

namespace Vega.Lite.Api;

/// <summary>
/// Every route the server answers, in one table: open this file first to find the handler of a URL. Every GET route
/// answers HEAD too, as Attic's router does. Routes under <c>{cache}</c> check the cache name before anything else.
/// </summary>
internal static class Routes
{
    private static readonly string[] GetHead = ["GET", "HEAD"];
    private static readonly string[] Head = ["HEAD"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/", GetHead, StatusPage.GetAsync);
        app.MapMethods("/healthz", GetHead, HealthEndpoints.Live);
        app.MapMethods("/readyz", GetHead, HealthEndpoints.ReadyAsync);
        app.MapPost("/", StatusPage.RememberTokenAsync); // the status page's token form
        MetricsEndpoint.Map(app, app.ServiceProvider.GetRequiredService<ServerConfig>().Metrics); // GET /metrics

        // Attic's API (docs/attic-api.md §3).
        var api = app.MapGroup("/_api/v1");
        api.MapPost("/get-missing-paths", MissingPathsEndpoint.GetMissingPathsAsync);
        api.MapPut("/upload-path", UploadPathEndpoint.UploadAsync);
        api.MapMethods("/caches", GetHead, CacheConfigEndpoints.ListAsync); // ours: Attic's #168
        var cacheConfig = api.MapGroup("/cache-config/{cache}").AddEndpointFilter(CheckCacheName);
        cacheConfig.MapMethods("", GetHead, CacheConfigEndpoints.GetAsync);
        cacheConfig.MapPost("", CacheConfigEndpoints.CreateAsync);
        cacheConfig.MapPatch("", CacheConfigEndpoints.ConfigureAsync);
        cacheConfig.MapDelete("", CacheConfigEndpoints.DestroyAsync);

        // Nix's HTTP binary cache, read and write (docs/nix-cache-protocol.md), and Attic's alias of cache-config.
        var cache = app.MapGroup("/{cache}").AddEndpointFilter(CheckCacheName);
        cache.MapMethods("/nix-cache-info", GetHead, BinaryCacheEndpoints.GetCacheInfoAsync);
        cache.MapPut("/nix-cache-info", NixUploadEndpoints.PutCacheInfoAsync);
        cache.MapMethods("/attic-cache-info", GetHead, CacheConfigEndpoints.GetAsync);
        cache.MapMethods("/{file}", GetHead, BinaryCacheEndpoints.GetNarInfoAsync);
        cache.MapPut("/{file}", NixUploadEndpoints.PutNarInfoAsync);
        cache.MapDelete("/{file}", PathDeletionEndpoint.DeleteAsync);
        cache.MapMethods("/nar/{file}", GetHead, BinaryCacheEndpoints.GetNarAsync);
        cache.MapMethods($"/nar/{{file:{NixUploadFileConstraint.Name}}}", Head, NixUploadEndpoints.HeadUploadedNarAsync);
        cache.MapPut("/nar/{file}", NixUploadEndpoints.PutNarAsync);
    }

    /// <summary>What the route table needs registered before the application is built.</summary>
    public static void AddRouting(IServiceCollection services) =>
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<NixUploadFileConstraint>(NixUploadFileConstraint.Name));

    /// <summary>Attic answers a bad cache name in a path with a plain-text 400 (axum's path rejection), before auth.</summary>
    private static ValueTask<object?> CheckCacheName(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.RouteValues["cache"] is string name && CacheName.IsValid(name)
            ? next(context)
            : ValueTask.FromResult<object?>(PathNames.InvalidCacheName(context.HttpContext.Request.RouteValues["cache"] as string ?? ""));
}

/// <summary>
/// Matches the names Nix uploads NARs under (<c>&lt;file hash&gt;.nar[.xz|.zst|.br]</c>), so <c>HEAD nar/…</c> of such a
/// name is routed to the upload check rather than to the NAR download.
/// </summary>
internal sealed class NixUploadFileConstraint : IRouteConstraint
{
    public const string Name = "nixupload";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string file && NixUploadNames.TryParse(file, out _, out _);
}
