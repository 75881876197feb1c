using System.Diagnostics;
using Vega.Lite.Auth;

namespace Vega.Lite.Http;

/// <summary>
/// One log event per request, for <c>--log-format json</c> (whose lines a log pipeline reads): the request id, method,
/// route, path, status, duration, bytes in and out, cache and token subject, as the event's named values. Only
/// registered with that format, so the text format's hot path pays nothing for it.
/// </summary>
internal sealed partial class AccessLog(RequestDelegate next, ILogger<AccessLog> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var request = context.Request;
            Request(log, context.TraceIdentifier, request.Method,
                (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "", request.Path.Value ?? "",
                context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, request.ContentLength ?? 0, context.Response.ContentLength ?? 0,
                request.RouteValues["cache"] as string ?? "", Caller.Of(context).Subject ?? "");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{RequestId} {Method} {Path} {Status} in {DurationMs:0.000} ms, {BytesIn} bytes in, {BytesOut} bytes out (route {Route}, cache {Cache}, subject {Subject})")]
    private static partial void Request(ILogger logger, string requestId, string method, string route, string path, int status,
        double durationMs, long bytesIn, long bytesOut, string cache, string subject);
}
