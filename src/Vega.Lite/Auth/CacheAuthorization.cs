using System.Diagnostics.CodeAnalysis;
using Vega.Lite.Http;
using Vega.Lite.Metadata;

namespace Vega.Lite.Auth;

/// <summary>The answer of <see cref="CacheAccess.AuthorizeAsync"/>: the cache when granted, else the error to send.</summary>
internal readonly record struct CacheAuthorization(CacheRecord? Cache, ApiError? Error)
{
    [MemberNotNullWhen(true, nameof(Cache))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Granted => Error is null;

    public static CacheAuthorization Grant(CacheRecord cache) => new(cache, null);

    public static CacheAuthorization Deny(ApiError error) => new(null, error);
}
