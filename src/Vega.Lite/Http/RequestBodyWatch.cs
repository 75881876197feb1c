using Microsoft.AspNetCore.Http.Features;

namespace Vega.Lite.Http;

/// <summary>
/// Puts every request body under the <see cref="RequestBodyWatchdog"/>, so a client that stops sending (or crawls)
/// mid-upload has its connection closed instead of holding the request, its lease and its buffers for ever; the watched
/// body counts the bytes read for the metrics. With the watchdog off, a body counts its Content-Length.
/// </summary>
internal sealed class RequestBodyWatch(RequestDelegate next, RequestBodyWatchdog watchdog)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
        {
            return next(context);
        }
        if (watchdog.Enabled)
        {
            var body = watchdog.Watch(context);
            context.Request.Body = body;
            context.Response.RegisterForDispose(body); // ends the watch when the request ends, before the context is reused
        }
        else
        {
            watchdog.Metrics.Received(context.Request.ContentLength ?? 0);
        }
        return next(context);
    }
}
