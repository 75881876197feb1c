using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Serializes <see cref="TokenClaims"/> as jwt-simple 0.11 serializes <c>JWTClaims</c>: fields in struct order
/// <c>iat, exp, nbf, iss, sub, aud, jti</c> (absent ones skipped; <c>aud</c> always an array), then the flattened
/// <c>https://jwt.attic.rs/v1</c> claim with <c>caches</c> in insertion order and only set bits, as <c>1</c>, in the
/// order r, w, d, cc, cr, cq, cd.
/// </summary>
internal static class ClaimsJson
{
    public static string Write(TokenClaims claims)
    {
        var json = new SerdeJsonWriter().StartObject();
        WriteTime(json, AtticClaimNames.IssuedAt, claims.IssuedAt);
        WriteTime(json, AtticClaimNames.ExpiresAt, claims.ExpiresAt);
        WriteTime(json, AtticClaimNames.NotBefore, claims.NotBefore);
        WriteString(json, AtticClaimNames.Issuer, claims.Issuer);
        WriteString(json, AtticClaimNames.Subject, claims.Subject);
        if (claims.Audience is { } audiences)
        {
            json.Name(AtticClaimNames.Audience).StartArray();
            foreach (string audience in audiences)
            {
                json.String(audience);
            }

            json.EndArray();
        }

        WriteString(json, AtticClaimNames.JwtId, claims.JwtId);
        json.Name(AtticClaimNames.Namespace).StartObject().Name(AtticClaimNames.Caches).StartObject();
        foreach (KeyValuePair<CacheNamePattern, CachePermission> entry in claims.Caches)
        {
            json.Name(entry.Key.Pattern).StartObject();
            foreach (CachePermissionBit bit in PermissionJsonKeys.AllBits)
            {
                if (entry.Value.Has(bit))
                {
                    json.Name(PermissionJsonKeys.ByBit[(int)bit]).Number(1);
                }
            }

            json.EndObject();
        }

        return json.EndObject().EndObject().EndObject().ToString();
    }

    private static void WriteTime(SerdeJsonWriter json, string name, long? value)
    {
        if (value is long seconds)
        {
            json.Name(name).Number(seconds);
        }
    }

    private static void WriteString(SerdeJsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.Name(name).String(value);
        }
    }
}
