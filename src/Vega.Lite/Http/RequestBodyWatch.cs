using Microsoft.AspNetCore.Http.Features;

namespace Vega.Lite.Http;

/// <summary>
/// Puts every request body under the <see cref="RequestBodyWatchdog"/>, so a client that stops sending (or crawls)
/// mid-upload has its connection closed instead of holding the request, its lease and its buffers for ever.
/// </summary>
internal sealed class RequestBodyWatch(RequestDelegate next, RequestBodyWatchdog watchdog)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (watchdog.Enabled && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            var body = watchdog.Watch(context);
            context.Request.Body = body;
            context.Response.RegisterForDispose(body); // ends the watch when the request ends, before the context is reused
        }
        return next(context);
    }
}
