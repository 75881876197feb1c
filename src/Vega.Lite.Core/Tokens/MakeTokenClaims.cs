using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// <c>atticadm make-token</c> claim construction (<c>server/src/adm/command/make_token.rs</c> and
/// <c>Token::new</c>); see <see cref="TokenClaims.ForMakeToken"/> for the rules.
/// </summary>
internal static class MakeTokenClaims
{
    public static TokenClaims Create(MakeTokenRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Subject, nameof(request));
        if (request.Validity < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Validity, "Validity must not be negative.");
        }

        long notBefore = now.ToUnixTimeSeconds();
        long expiresAt = DateTimeOffset.MaxValue - now < request.Validity
            ? long.MaxValue
            : (now + request.Validity).ToUnixTimeSeconds();
        if (notBefore < 0 || expiresAt > UnixSeconds.Max)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.Validity,
                $"Expiry timestamp overflowed: tokens cannot expire after Unix time {UnixSeconds.Max} (2106-02-07T06:28:15Z).");
        }

        var builder = new CachePermissionMapBuilder();
        foreach (CachePermissionBit bit in PermissionJsonKeys.AllBits)
        {
            foreach (CacheNamePattern pattern in request.PatternsFor(bit))
            {
                ArgumentNullException.ThrowIfNull(pattern, nameof(request));
                builder.Grant(pattern, bit);
            }
        }

        return new TokenClaims(builder.ToArray())
        {
            Subject = request.Subject,
            ExpiresAt = expiresAt,
            NotBefore = notBefore,
        };
    }
}
