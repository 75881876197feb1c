using Vega.Lite.Config;

namespace Vega.Lite.Http;

/// <summary>
/// The URLs clients are told to use (docs/attic-api.md §1.3): the configured <c>api-endpoint</c> /
/// <c>substituter-endpoint</c>, or ones built from the request's Host and <c>X-Forwarded-Proto: https</c>.
/// </summary>
internal static class PublicEndpoints
{
    public static string Api(HttpContext context, ServerConfig config)
    {
        if (config.ApiEndpoint is { } configured)
        {
            return configured;
        }
        var https = context.Request.Headers["X-Forwarded-Proto"].ToString() == "https";
        return $"{(https ? "https" : "http")}://{context.Request.Host.Value}/";
    }

    /// <summary>Plain concatenation, as Attic does: both settings must end in "/".</summary>
    public static string Substituter(HttpContext context, ServerConfig config, string cacheName) =>
        (config.SubstituterEndpoint ?? Api(context, config)) + cacheName;
}
