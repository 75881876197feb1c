using Vega.Lite.Config;

namespace Vega.Lite.Http;

/// <summary>Attic's host check: no Host is a 400; with <c>allowed-hosts</c> set, any other Host is <c>Bad Host</c>.</summary>
internal sealed class HostFilter(RequestDelegate next, ServerConfig config)
{
    private readonly HashSet<string> _allowed = new(config.AllowedHosts, StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Headers.Host.ToString();
        if (host.Length == 0)
        {
            return ApiError.Request("Missing Host header").ExecuteAsync(context);
        }
        if (_allowed.Count > 0 && !_allowed.Contains(host))
        {
            return ApiError.Request("Bad Host").ExecuteAsync(context);
        }
        return next(context);
    }
}
