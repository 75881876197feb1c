using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Claims of an Attic token: the standard claims Attic looks at plus the
/// <c>https://jwt.attic.rs/v1</c> → <c>caches</c> map, in document order.
/// Time claims are effective Unix seconds in [0, 2^32 - 1] (see <see cref="TokenVerifier"/>).
/// </summary>
public sealed class TokenClaims
{
    private readonly KeyValuePair<CacheNamePattern, CachePermission>[] _caches;
    private readonly Dictionary<string, CachePermission> _exact;
    private readonly KeyValuePair<CacheNamePattern, CachePermission>[] _wildcards;
    private readonly long? _expiresAt;
    private readonly long? _notBefore;
    private readonly long? _issuedAt;

    /// <summary>
    /// Creates claims from pattern entries in order. A repeated pattern replaces the earlier value
    /// but keeps the earlier position (as Attic's <c>IndexMap</c> does when decoding JSON).
    /// </summary>
    public TokenClaims(IEnumerable<KeyValuePair<CacheNamePattern, CachePermission>> caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        var builder = new CachePermissionMapBuilder();
        foreach (KeyValuePair<CacheNamePattern, CachePermission> entry in caches)
        {
            ArgumentNullException.ThrowIfNull(entry.Key, nameof(caches));
            builder.Set(entry.Key, entry.Value);
        }

        _caches = builder.ToArray();
        _exact = new Dictionary<string, CachePermission>(StringComparer.Ordinal);
        var wildcards = new List<KeyValuePair<CacheNamePattern, CachePermission>>();
        foreach (KeyValuePair<CacheNamePattern, CachePermission> entry in _caches)
        {
            if (entry.Key.HasWildcard)
            {
                wildcards.Add(entry);
            }
            else
            {
                _exact.Add(entry.Key.Pattern, entry.Value);
            }
        }

        _wildcards = [.. wildcards];
    }

    private TokenClaims(TokenClaims other)
    {
        _caches = other._caches;
        _exact = other._exact;
        _wildcards = other._wildcards;
        Subject = other.Subject;
        _expiresAt = other._expiresAt;
        _notBefore = other._notBefore;
        _issuedAt = other._issuedAt;
        Issuer = other.Issuer;
        Audience = other.Audience;
        JwtId = other.JwtId;
    }

    /// <summary><c>sub</c>; becomes <c>created_by</c> of uploads.</summary>
    public string? Subject { get; init; }

    /// <summary><c>exp</c> in Unix seconds.</summary>
    public long? ExpiresAt { get => _expiresAt; init => _expiresAt = UnixSeconds.Check(value, nameof(ExpiresAt)); }

    /// <summary><c>nbf</c> in Unix seconds.</summary>
    public long? NotBefore { get => _notBefore; init => _notBefore = UnixSeconds.Check(value, nameof(NotBefore)); }

    /// <summary><c>iat</c> in Unix seconds.</summary>
    public long? IssuedAt { get => _issuedAt; init => _issuedAt = UnixSeconds.Check(value, nameof(IssuedAt)); }

    /// <summary><c>iss</c>.</summary>
    public string? Issuer { get; init; }

    /// <summary><c>jti</c>: the token's own id, by which <c>vega-lite revoke-token --jti</c> names it (Attic ignores it).</summary>
    public string? JwtId { get; init; }

    /// <summary><c>aud</c>; a single-string <c>aud</c> is exposed as a one-element list.</summary>
    public IReadOnlyList<string>? Audience { get; init; }

    /// <summary>The cache permission entries in JSON document (or insertion) order.</summary>
    public IReadOnlyList<KeyValuePair<CacheNamePattern, CachePermission>> Caches => _caches;

    /// <summary>
    /// Attic's <c>Token::get_permission_for_cache</c>: an entry whose key equals the name wins; otherwise the
    /// first matching pattern in document order; entries are never merged; no match gives
    /// <see cref="CachePermission.None"/>. An invalid cache name never matches anything.
    /// </summary>
    public CachePermission GetPermissionForCache(string cacheName)
    {
        ArgumentNullException.ThrowIfNull(cacheName);
        if (!CacheName.IsValid(cacheName))
        {
            return CachePermission.None;
        }

        if (_exact.TryGetValue(cacheName, out CachePermission exact))
        {
            return exact;
        }

        foreach (KeyValuePair<CacheNamePattern, CachePermission> entry in _wildcards)
        {
            if (entry.Key.Matches(cacheName))
            {
                return entry.Value;
            }
        }

        return CachePermission.None;
    }

    /// <summary>
    /// Builds the claims <c>atticadm make-token</c> creates: <c>exp</c> = now + validity (whole seconds, floored),
    /// <c>nbf</c> = now (whole seconds), <c>sub</c>, no <c>iat</c>, no <c>iss</c>/<c>aud</c>; permissions are granted
    /// flag by flag in the order pull, push, delete, create-cache, configure-cache, configure-cache-retention,
    /// destroy-cache, each pattern getting one entry at its first-insertion position.
    /// Attic adds <c>iss</c>/<c>aud</c> only when signing, so <c>--dump-claims</c> output lacks them:
    /// use <see cref="WithBinding"/> before <see cref="TokenSigner.Sign"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// Negative validity, or an expiry beyond 2106-02-07 (2^32 - 1 seconds), which Attic's token library would
    /// silently wrap into an already-expired token.
    /// </exception>
    public static TokenClaims ForMakeToken(MakeTokenRequest request, DateTimeOffset now) =>
        MakeTokenClaims.Create(request, now);

    /// <summary>Copy with <c>jti</c> set: <c>vega-lite make-token</c> gives each token one, so it can be revoked alone.</summary>
    public TokenClaims WithJwtId(string jwtId) => new(this) { JwtId = jwtId };

    /// <summary>
    /// Copy with <c>iss</c> and/or <c>aud</c> set from <c>[jwt] token-bound-issuer</c> /
    /// <c>token-bound-audiences</c>, as Attic's <c>Token::encode</c> does. Null arguments leave the claim unchanged.
    /// </summary>
    public TokenClaims WithBinding(string? issuer, IReadOnlyCollection<string>? audiences) => new(this)
    {
        Issuer = issuer ?? Issuer,
        Audience = audiences is null ? Audience : [.. audiences],
    };
}
