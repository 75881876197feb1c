
namespace Vega.Lite.Http;

/// <summary>
/// The outermost middleware: a body the client cut short is a 400; anything unexpected is logged and answered with
/// Attic's JSON 500, never a stack trace. Once a response has started, the connection is aborted instead.
/// </summary>
internal sealed class ErrorBoundary(RequestDelegate next, ILogger<ErrorBoundary> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is listening for an answer.
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ApiError.Request(e.Message).ExecuteAsync(context);
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
        }
    }
}
