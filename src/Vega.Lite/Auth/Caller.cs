using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Auth;

/// <summary>
/// Who is calling: the claims of a valid token from <c>Authorization</c> (bearer, or basic with the token as
/// the password, as Nix sends it), or anonymous. Resolved once per request, on first use.
/// </summary>
internal sealed class Caller
{
    public static readonly Caller Anonymous = new(null);

    private Caller(TokenClaims? claims) => Claims = claims;

    public TokenClaims? Claims { get; }

    public string? Subject => Claims?.Subject;

    /// <summary>The token's own bits for the cache (no public grant).</summary>
    public CachePermission TokenPermission(string cacheName) => Claims?.GetPermissionForCache(cacheName) ?? CachePermission.None;

    /// <summary>The caller a token makes, whatever <c>Authorization</c> says (the status page's cookie); anonymous when invalid.</summary>
    public static Caller WithToken(HttpContext context, string token) =>
        new(context.RequestServices.GetRequiredService<TokenAuthority>().Verify(token));

    public static Caller Of(HttpContext context)
    {
        if (context.Features.Get<Caller>() is { } known)
        {
            return known;
        }
        var token = AuthorizationHeader.ExtractToken(context.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null);
        var caller = token is null
            ? Anonymous
            : new Caller(context.RequestServices.GetRequiredService<TokenAuthority>().Verify(token));
        context.Features.Set(caller);
        return caller;
    }
}
