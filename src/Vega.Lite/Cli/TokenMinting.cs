using Vega.Lite.Config;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Cli;

/// <summary>
/// Mints Attic tokens with the server's key, adding <c>[jwt]</c>'s bound issuer and audiences, as atticadm does, and a
/// random <c>jti</c>, which atticadm does not (Attic ignores it): <c>vega-lite revoke-token --jti</c> names one token by it.
/// </summary>
internal static class TokenMinting
{
    public static string Mint(JwtConfig jwt, TimeProvider time, MakeTokenRequest request)
    {
        var key = JwtKey.FromBase64Setting(jwt.Signing.SettingName, jwt.Signing.Base64Value);
        if (!key.CanSign)
        {
            throw new ConfigException(TokenSigner.PubkeyOnlyMessage);
        }
        var claims = Claims(time, request).WithBinding(jwt.BoundIssuer, jwt.BoundAudiences);
        return new TokenSigner(key).Sign(claims);
    }

    /// <summary>The claims <c>--dump-claims</c> prints: before signing, so without iss/aud (as atticadm).</summary>
    public static string ClaimsJson(TimeProvider time, MakeTokenRequest request) =>
        TokenSigner.ClaimsJson(Claims(time, request));

    private static TokenClaims Claims(TimeProvider time, MakeTokenRequest request) =>
        TokenClaims.ForMakeToken(request, time.GetUtcNow()).WithJwtId(Guid.NewGuid().ToString());
}
