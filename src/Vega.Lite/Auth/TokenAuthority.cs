using Vega.Lite.Config;
using Vega.Lite.Core.Collections;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Auth;

/// <summary>
/// Verifies Attic JWTs and remembers the outcome, so a client that sends the same token on every request
/// (Nix does, through netrc) pays for the signature check once. Invalid tokens are remembered briefly only. A revoked
/// token (<see cref="TokenRevocations"/>) is refused however it was remembered.
/// </summary>
internal sealed class TokenAuthority
{
    private static readonly TimeSpan InvalidTokenMemory = TimeSpan.FromSeconds(10);

    private readonly TokenVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenAuthority> _log;
    private readonly TokenRevocations? _revocations;
    private readonly BoundedCache<string, Verdict> _verdicts = new(maxEntries: 10_000, StringComparer.Ordinal);

    public TokenAuthority(JwtConfig config, TimeProvider time, ILogger<TokenAuthority> log, TokenRevocations? revocations = null)
    {
        _revocations = revocations;
        Key = JwtKey.FromBase64Setting(config.Signing.SettingName, config.Signing.Base64Value);
        _verifier = new TokenVerifier(Key, config.BoundIssuer, config.BoundAudiences, time);
        _time = time;
        _log = log;
    }

    public JwtKey Key { get; }

    /// <summary>The token's claims, or null when it is not valid now (the caller is then anonymous).</summary>
    public TokenClaims? Verify(string token)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (_verdicts.TryGet(token, out var verdict) && verdict.IsFresh(now))
        {
            return Unrevoked(token, verdict.Claims);
        }
        TokenClaims? claims = null;
        if (_verifier.TryVerify(token, out var verified, out var failure))
        {
            claims = verified;
        }
        else
        {
            _log.LogDebug("Ignoring an invalid token: {Reason}", failure);
        }
        // A valid token is remembered until it expires; the checks that passed cannot fail later (time only grows).
        var until = claims is null ? now + (long)InvalidTokenMemory.TotalSeconds : claims.ExpiresAt ?? long.MaxValue;
        _verdicts.Set(token, new Verdict(claims, until));
        return Unrevoked(token, claims);
    }

    private TokenClaims? Unrevoked(string token, TokenClaims? claims) =>
        claims is not null && _revocations?.IsRevoked(token, claims) == true ? null : claims;

    private sealed record Verdict(TokenClaims? Claims, long ValidUntil)
    {
        public bool IsFresh(long now) => Claims is null ? now < ValidUntil : now <= ValidUntil;
    }
}
