using System.Diagnostics.CodeAnalysis;
namespace Vega.Lite.Core.Tokens;

/// <summary>
/// jwt-simple 0.11 <c>JWTClaims::validate</c> with Attic's options: zero time tolerance, no maximum validity,
/// optional bound issuer and audiences. Checks run in jwt-simple's order: iat, nbf, exp, iss, aud.
/// </summary>
internal sealed class ClaimsPolicy
{
    private readonly string? _boundIssuer;
    private readonly HashSet<string>? _boundAudiences;
    private readonly TimeProvider _time;

    public ClaimsPolicy(string? boundIssuer, IReadOnlyCollection<string>? boundAudiences, TimeProvider time)
    {
        _boundIssuer = boundIssuer;
        _boundAudiences = boundAudiences is null ? null : new HashSet<string>(boundAudiences, StringComparer.Ordinal);
        _time = time;
    }

    public bool TryValidate(TokenClaims claims, [NotNullWhen(false)] out string? failure)
    {
        failure = CheckTimes(claims) ?? CheckIssuer(claims) ?? CheckAudience(claims);
        return failure is null;
    }

    /// <summary>
    /// "now" is compared at sub-second precision, like coarsetime's 32.32 fixed point: <c>iat &lt;= now</c>,
    /// <c>now &gt;= nbf</c>, <c>now &lt;= exp</c> (so a token is still valid at exactly <c>exp</c>.000 but not later).
    /// </summary>
    private string? CheckTimes(TokenClaims claims)
    {
        long ticks = _time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long nowSeconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long fraction);
        if (fraction < 0)
        {
            nowSeconds--;
            fraction += TimeSpan.TicksPerSecond;
        }

        if (claims.IssuedAt is long issuedAt && issuedAt > nowSeconds)
        {
            return $"issued in the future (iat {issuedAt}, now {nowSeconds})";
        }

        if (claims.NotBefore is long notBefore && nowSeconds < notBefore)
        {
            return $"not valid yet (nbf {notBefore}, now {nowSeconds})";
        }

        if (claims.ExpiresAt is long expiresAt && (nowSeconds > expiresAt || (nowSeconds == expiresAt && fraction > 0)))
        {
            return $"expired (exp {expiresAt}, now {nowSeconds})";
        }

        return null;
    }

    private string? CheckIssuer(TokenClaims claims) =>
        _boundIssuer is null ? null
        : claims.Issuer is null ? "missing required 'iss'"
        : claims.Issuer != _boundIssuer ? $"issuer '{claims.Issuer}' is not the bound issuer"
        : null;

    private string? CheckAudience(TokenClaims claims)
    {
        if (_boundAudiences is null)
        {
            return null;
        }

        if (claims.Audience is null)
        {
            return "missing required 'aud'";
        }

        foreach (string audience in claims.Audience)
        {
            if (_boundAudiences.Contains(audience))
            {
                return null;
            }
        }

        return "no audience matches the bound audiences";
    }
}
