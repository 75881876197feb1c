using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;

namespace Vega.Lite.Auth;

/// <summary>
/// Attic's three authorization flows (docs/attic-api.md §2.3), including its existence hiding: a caller who holds no
/// bit on a cache name gets 401 whether or not the cache exists; one who does gets 404 or 403.
/// </summary>
internal sealed class CacheAccess(CacheDirectory caches)
{
    /// <summary>Flow A: look the cache up, then require a bit. Public caches grant pull to everyone.</summary>
    public async ValueTask<CacheAuthorization> AuthorizeAsync(
        HttpContext context, string cacheName, CachePermissionBit required, CancellationToken ct)
    {
        var tokenPermission = Caller.Of(context).TokenPermission(cacheName);
        var cache = await caches.GetAsync(cacheName, ct);
        if (cache is null)
        {
            return CacheAuthorization.Deny(tokenPermission.CanDiscover ? ApiError.NoSuchCache : ApiError.Unauthorized);
        }
        var error = Check(Effective(tokenPermission, cache), required);
        return error is null ? CacheAuthorization.Grant(cache) : CacheAuthorization.Deny(error);
    }

    /// <summary>Flow B (create): the token alone decides, no public grant.</summary>
    public static ApiError? AuthorizeByToken(HttpContext context, string cacheName, CachePermissionBit required) =>
        Check(Caller.Of(context).TokenPermission(cacheName), required);

    /// <summary>Flow C (narinfo, NAR): the object is known to exist in <paramref name="cache"/>; now require pull.</summary>
    public static ApiError? AuthorizeExisting(HttpContext context, CacheRecord cache, CachePermissionBit required) =>
        Check(Effective(Caller.Of(context).TokenPermission(cache.Name), cache), required);

    /// <summary>The discovery rule: with any bit a caller learns 403; with none, 401.</summary>
    public static ApiError? Check(CachePermission permission, CachePermissionBit required) =>
        permission.Has(required) ? null : permission.CanDiscover ? ApiError.AccessError : ApiError.Unauthorized;

    private static CachePermission Effective(CachePermission token, CacheRecord cache) =>
        cache.IsPublic ? token.WithPull() : token;
}
