using Vega.Lite.Config;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Cli;

/// <summary>Mints Attic tokens with the server's key, adding <c>[jwt]</c>'s bound issuer and audiences, as atticadm does.</summary>
internal static class TokenMinting
{
    public static string Mint(JwtConfig jwt, TimeProvider time, MakeTokenRequest request)
    {
        var key = JwtKey.FromBase64Setting(jwt.Signing.SettingName, jwt.Signing.Base64Value);
        if (!key.CanSign)
        {
            throw new ConfigException(TokenSigner.PubkeyOnlyMessage);
        }
        var claims = TokenClaims.ForMakeToken(request, time.GetUtcNow()).WithBinding(jwt.BoundIssuer, jwt.BoundAudiences);
        return new TokenSigner(key).Sign(claims);
    }

    /// <summary>The claims <c>--dump-claims</c> prints: before signing, so without iss/aud (as atticadm).</summary>
    public static string ClaimsJson(TimeProvider time, MakeTokenRequest request) =>
        TokenSigner.ClaimsJson(TokenClaims.ForMakeToken(request, time.GetUtcNow()));
}
