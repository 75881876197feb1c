using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Vega.Lite.Config;
using Vega.Lite.Http;

namespace Vega.Lite.Observability;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry's Prometheus exporter over Vega.Lite's meter (<see cref="ServerMetrics"/>,
/// <see cref="CacheStatistics"/>), ASP.NET Core's and Kestrel's (requests by route and status, connections) and the
/// runtime's (GC, CPU, memory). With <c>[metrics] token</c> set, a scrape must send <c>Authorization: Bearer
/// &lt;token&gt;</c> (Prometheus' <c>authorization</c> block); with <c>enabled = false</c> nothing is exported and the URL is
/// a 404, as any unknown one.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The meters exported besides Vega.Lite's own.</summary>
    private static readonly string[] FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static void AddExporter(IServiceCollection services, MetricsConfig config)
    {
        if (!config.Enabled)
        {
            return;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("vega-lite"))
            .WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddMeter(FrameworkMeters)
            // Each scrape collects afresh: two scrapers (or a test right after a request) never see a cached answer.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void Map(IEndpointRouteBuilder app, MetricsConfig config)
    {
        if (!config.Enabled)
        {
            return;
        }
        var expected = config.Token is { } token ? Encoding.UTF8.GetBytes(token) : null;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (expected is not null && !Presents(context, expected))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                await ApiError.Unauthorized.ExecuteAsync(context);
                return;
            }
            // The gauges read the database's sums, at most CacheStatistics.MaxAge old: read them before the exporter collects.
            await context.RequestServices.GetRequiredService<CacheStatistics>().GetAsync(context.RequestAborted);
            await next(context);
        }), optionsName: null);
    }

    private static bool Presents(HttpContext context, byte[] expected)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim()), expected);
    }
}
