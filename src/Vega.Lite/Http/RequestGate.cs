using Vega.Lite.Config;

namespace Vega.Lite.Http;

/// <summary>
/// The one middleware every request passes (one async hop, not three, on the hot narinfo path):
/// Attic's host check (no Host: 400; not in <c>allowed-hosts</c>: 400 <c>Bad Host</c>); its JSON 404 for URLs no
/// route matches (a known path with the wrong method keeps routing's 405); a body the client cut short is a 400;
/// anything unexpected is logged and answered with Attic's JSON 500, or the connection aborted once the response
/// has started.
/// </summary>
internal sealed class RequestGate(RequestDelegate next, ServerConfig config, ILogger<RequestGate> log)
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

    private static Task AfterAsync(HttpContext context) =>
        context.GetEndpoint() is null && context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted
            ? ApiError.NotFound.ExecuteAsync(context)
            : Task.CompletedTask;

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
