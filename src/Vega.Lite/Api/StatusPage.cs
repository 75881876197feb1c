using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;

namespace Vega.Lite.Api;

/// <summary>
/// <c>GET /</c>: the status page (<see cref="StatusPageHtml"/> renders it), server-rendered and without JavaScript.
/// It shows the caches the caller may read: public ones to anyone, and the private ones a token may pull from. A
/// token comes in <c>Authorization</c> (curl, a script) or from the page's own form: <c>POST /</c> checks it and keeps
/// it in an HttpOnly, SameSite=Strict cookie that only this page reads (the API never does), so a browser can show
/// private caches without a script; the form's other button forgets it.
/// </summary>
internal static class StatusPage
{
    public const string TokenCookie = "vega_lite_token";

    /// <summary>The days the pushes chart covers, today included, and the storage chart's span.</summary>
    public const int Days = 30;

    private const int GcRunsShown = 10;
    private const long MaxFormBytes = 64 * 1024;

    public static async Task<IResult> GetAsync(HttpContext context, CacheStatistics statistics, MetadataStore metadata, ServerConfig config)
    {
        var (caller, signedIn) = CallerOf(context, context.Request.Cookies[TokenCookie]);
        return await RenderAsync(context, statistics, metadata, config, caller, signedIn, error: null, StatusCodes.Status200OK);
    }

    /// <summary>The form: <c>token=…</c> remembers a valid token (303 back to the page); <c>forget</c> drops it.</summary>
    public static async Task<IResult> RememberTokenAsync(HttpContext context, CacheStatistics statistics, MetadataStore metadata, ServerConfig config)
    {
        if (!context.Request.HasFormContentType)
        {
            return ApiError.UnsupportedMediaType("the status page's form is sent as application/x-www-form-urlencoded");
        }
        if (context.Request.ContentLength is null or > MaxFormBytes)
        {
            return context.Request.ContentLength is null ? ApiError.Request("the form needs a Content-Length") : ApiError.PayloadTooLarge;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var cookieOptions = new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps || context.Request.Headers["X-Forwarded-Proto"].ToString() == "https",
            Path = "/",
        };
        if (form.ContainsKey("forget"))
        {
            context.Response.Cookies.Delete(TokenCookie, cookieOptions);
            return Results.Redirect("/", permanent: false, preserveMethod: false);
        }
        var token = form["token"].ToString().Trim();
        var caller = token.Length == 0 ? Caller.Anonymous : Caller.WithToken(context, token);
        if (caller.Claims is null)
        {
            var (current, signedIn) = CallerOf(context, context.Request.Cookies[TokenCookie]);
            return await RenderAsync(context, statistics, metadata, config, current, signedIn,
                "That token is not valid here: it is malformed, expired, revoked, or signed by another server.", StatusCodes.Status400BadRequest);
        }
        context.Response.Cookies.Append(TokenCookie, token, cookieOptions);
        return Results.Redirect("/", permanent: false, preserveMethod: false);
    }

    /// <summary>Authorization first, as every route; else the page's cookie. An invalid cookie reads as none.</summary>
    private static (Caller Caller, bool SignedIn) CallerOf(HttpContext context, string? cookie)
    {
        var caller = Caller.Of(context);
        if (caller.Claims is not null)
        {
            return (caller, false);
        }
        if (cookie is { Length: > 0 } && Caller.WithToken(context, cookie) is { Claims: not null } remembered)
        {
            return (remembered, true);
        }
        return (Caller.Anonymous, false);
    }

    private static async Task<IResult> RenderAsync(
        HttpContext context, CacheStatistics statistics, MetadataStore metadata, ServerConfig config, Caller caller, bool signedIn,
        string? error, int status)
    {
        var ct = context.RequestAborted;
        var snapshot = await statistics.GetAsync(ct);
        var today = snapshot.TakenAt.ToUnixTimeSeconds() / 86400;
        var pushes = (await metadata.GetPushesPerDayAsync(today - Days + 1, ct))
            .ToLookup(p => p.CacheId, p => (p.Day, p.Pushes));
        var cards = new List<CacheCard>();
        foreach (var (cache, usage) in snapshot.Caches)
        {
            if (!cache.IsPublic && !caller.TokenPermission(cache.Name).Has(CachePermissionBit.Pull))
            {
                continue;
            }
            var perDay = new long[Days];
            foreach (var (day, count) in pushes[cache.Id])
            {
                if (day - (today - Days + 1) is >= 0 and < Days and var index)
                {
                    perDay[index] = count;
                }
            }
            cards.Add(new CacheCard(cache, usage, PublicEndpoints.Substituter(context, config, cache.Name), perDay));
        }
        var model = new StatusPageModel(
            cards, snapshot.Storage, await metadata.GetStorageSamplesAsync(today * 24 - Days * 24, ct), await metadata.GetGcRunsAsync(GcRunsShown, ct),
            caller.Claims is null ? null : caller.Subject ?? "(no subject)", signedIn, error, snapshot.TakenAt, today);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(StatusPageHtml.Render(model), "text/html; charset=utf-8", statusCode: status);
    }
}

/// <summary>One cache as the page shows it.</summary>
/// <param name="PushesPerDay">Paths pushed on each of the last <see cref="StatusPage.Days"/> UTC days, oldest first.</param>
internal sealed record CacheCard(CacheRecord Cache, CacheUsage Usage, string Substituter, long[] PushesPerDay);

/// <param name="Subject">The token's subject when the caller has a valid token, else null.</param>
/// <param name="SignedIn">The token came from the page's cookie (the page then offers to forget it).</param>
/// <param name="Today">Unix days of <paramref name="TakenAt"/>.</param>
internal sealed record StatusPageModel(
    IReadOnlyList<CacheCard> Caches, StorageUsage Storage, IReadOnlyList<(long Hour, long StoredBytes)> StorageSamples,
    IReadOnlyList<GcRun> GcRuns, string? Subject, bool SignedIn, string? Error, DateTimeOffset TakenAt, long Today);
