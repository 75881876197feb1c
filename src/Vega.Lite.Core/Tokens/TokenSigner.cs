using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Mints compact JWTs the way <c>atticadm make-token</c> does (jwt-simple <c>authenticate</c>/<c>sign</c>):
/// header <c>{"alg":"HS256","typ":"JWT"}</c> or <c>{"alg":"RS256","typ":"JWT"}</c>, payload
/// <see cref="ClaimsJson(TokenClaims)"/>, unpadded base64url segments. Thread-safe.
/// </summary>
public sealed class TokenSigner
{
    /// <summary>Attic's <c>PubkeyOnlyCannotCreateToken</c> message.</summary>
    public const string PubkeyOnlyMessage = "Pubkey-only JWT authentication cannot create signed JWTs";

    private readonly JwtKey _key;

    public TokenSigner(JwtKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <summary>
    /// The claims JSON exactly as <c>atticadm make-token --dump-claims</c> prints it (without the trailing newline).
    /// </summary>
    public static string ClaimsJson(TokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Tokens.ClaimsJson.Write(claims);
    }

    /// <summary>Signs <paramref name="claims"/> and returns the compact JWT.</summary>
    /// <exception cref="InvalidOperationException">The key is an RS256 public key only.</exception>
    public string Sign(TokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (!_key.CanSign)
        {
            throw new InvalidOperationException(PubkeyOnlyMessage);
        }

        string header = $$"""{"alg":"{{_key.Algorithm}}","typ":"JWT"}""";
        string signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))
            + "."
            + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Tokens.ClaimsJson.Write(claims)));
        byte[] input = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature = _key.Algorithm == JwtKey.HS256
            ? HMACSHA256.HashData(_key.HmacSecret, input)
            : _key.SignRs256(input);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
