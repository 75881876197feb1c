using Vega.Lite.Api;
using Vega.Lite.Config;
using Vega.Lite.Observability;

namespace Vega.Lite.Http;

/// <summary>
/// The one middleware every request passes (one async hop, not three, on the hot narinfo path):
/// Attic's host check (no Host: 400; not in <c>allowed-hosts</c>: 400 <c>Bad Host</c>); its JSON 404 for URLs no
/// route matches (a known path with the wrong method keeps routing's 405); a body the client cut short is a 400;
/// anything unexpected is logged and answered with Attic's JSON 500, or the connection aborted once the response
/// has started.
/// </summary>
internal sealed class RequestGate(RequestDelegate next, ServerConfig config, ServerMetrics metrics, ILogger<RequestGate> log)
{
    private readonly HashSet<string> _allowedHosts = new(config.AllowedHosts, StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Headers.Host.ToString();
        if (host.Length == 0)
        {
            return ApiError.Request("Missing Host header").ExecuteAsync(context);
        }
        if (_allowedHosts.Count > 0 && !_allowedHosts.Contains(host))
        {
            return ApiError.Request("Bad Host").ExecuteAsync(context);
        }
        Task pending;
        try
        {
            pending = next(context);
        }
        catch (Exception e)
        {
            pending = Task.FromException(e);
        }
        return pending.IsCompletedSuccessfully ? AfterAsync(context) : GuardedAsync(context, pending);
    }

    private Task AfterAsync(HttpContext context)
    {
        var response = context.Response;
        if (context.GetEndpoint() is null && response.StatusCode == StatusCodes.Status404NotFound && !response.HasStarted)
        {
            return ApiError.NotFound.ExecuteAsync(context);
        }
        // A NAR stream counts the bytes it writes itself (NarStreamResult); every other body is sent whole.
        if (response.ContentLength is > 0 and var length && !HttpMethods.IsHead(context.Request.Method)
            && response.ContentType != NarStreamResult.ContentType)
        {
            metrics.Sent(length);
        }
        return Task.CompletedTask;
    }

    private async Task GuardedAsync(HttpContext context, Task pending)
    {
        try
        {
            await pending;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; nobody is listening for an answer
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ApiError.Request(e.Message).ExecuteAsync(context);
            return;
        }
        catch (Exception e)
        {
            log.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            context.Response.Clear();
            await ApiError.InternalServerError.ExecuteAsync(context);
            return;
        }
        await AfterAsync(context);
    }
}
