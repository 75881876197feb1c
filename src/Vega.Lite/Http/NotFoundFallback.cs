namespace Vega.Lite.Http;

/// <summary>
/// Attic's JSON 404 (<c>NotFound</c>) for URLs no route matches. A known path with the wrong method keeps routing's
/// 405 with its Allow header, as in Attic.
/// </summary>
internal sealed class NotFoundFallback(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.GetEndpoint() is null && context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted)
        {
            await ApiError.NotFound.ExecuteAsync(context);
        }
    }
}
