using System.Security.Cryptography;
using System.Text;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// The configured JWT key (<c>[jwt.signing]</c>): HS256 secret, RS256 private key, or RS256 public key
/// (verify only). Immutable and safe to share.
/// </summary>
public sealed class JwtKey
{
    /// <summary>HMAC-SHA256.</summary>
    public const string HS256 = "HS256";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public const string RS256 = "RS256";

    /// <summary>Setting: base64 of PEM text of an RSA public key (verify only).</summary>
    public const string Rs256PubkeySetting = "token-rs256-pubkey-base64";

    /// <summary>Setting: base64 of PEM text of an RSA private key.</summary>
    public const string Rs256SecretSetting = "token-rs256-secret-base64";

    /// <summary>Setting: base64 of the raw HMAC key bytes (any bytes, not necessarily UTF-8).</summary>
    public const string Hs256SecretSetting = "token-hs256-secret-base64";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[]? _hmacSecret;
    private readonly byte[]? _rsaPublicKeySpki;
    private readonly RSA? _rsaPrivateKey;
    private readonly Lock _signLock = new();

    private JwtKey(string algorithm, byte[]? hmacSecret, byte[]? rsaPublicKeySpki, RSA? rsaPrivateKey)
    {
        Algorithm = algorithm;
        _hmacSecret = hmacSecret;
        _rsaPublicKeySpki = rsaPublicKeySpki;
        _rsaPrivateKey = rsaPrivateKey;
    }

    /// <summary><c>HS256</c> or <c>RS256</c>; a token's <c>alg</c> header must equal this exactly.</summary>
    public string Algorithm { get; }

    /// <summary>False for a public-key-only RS256 key.</summary>
    public bool CanSign => _hmacSecret is not null || _rsaPrivateKey is not null;

    internal ReadOnlySpan<byte> HmacSecret => _hmacSecret;

    internal byte[]? RsaPublicKeySpki => _rsaPublicKeySpki;

    /// <summary>HS256 key from raw secret bytes (copied).</summary>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public static JwtKey Hs256(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Wrap(() => CreateHs256(secret), "Invalid HS256 secret", nameof(secret));
    }

    /// <summary>RS256 signing key from PEM text: PKCS#1 <c>BEGIN RSA PRIVATE KEY</c> or PKCS#8 <c>BEGIN PRIVATE KEY</c>.</summary>
    /// <exception cref="ArgumentException">Not a usable RSA private key.</exception>
    public static JwtKey Rs256Secret(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return Wrap(() => CreateRs256Secret(pem), "Invalid RS256 private key", nameof(pem));
    }

    /// <summary>RS256 verify-only key from PEM text: SPKI <c>BEGIN PUBLIC KEY</c> or PKCS#1 <c>BEGIN RSA PUBLIC KEY</c>.</summary>
    /// <exception cref="ArgumentException">Not a usable RSA public key.</exception>
    public static JwtKey Rs256PublicKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return Wrap(() => CreateRs256PublicKey(pem), "Invalid RS256 public key", nameof(pem));
    }

    /// <summary>
    /// Key from a <c>[jwt.signing]</c> setting: <see cref="Rs256PubkeySetting"/>, <see cref="Rs256SecretSetting"/>
    /// or <see cref="Hs256SecretSetting"/>. The value is canonical standard base64 with padding; ASCII whitespace
    /// anywhere (e.g. line breaks from <c>base64</c> without <c>-w0</c>) is ignored, which Attic itself does not
    /// allow. For RS256 it must decode to UTF-8 PEM text; for HS256 the decoded bytes are the HMAC key.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown setting name or bad value; the message names the setting.</exception>
    public static JwtKey FromBase64Setting(string settingName, string base64Value)
    {
        ArgumentNullException.ThrowIfNull(settingName);
        ArgumentNullException.ThrowIfNull(base64Value);
        if (settingName is not (Rs256PubkeySetting or Rs256SecretSetting or Hs256SecretSetting))
        {
            throw new ArgumentException(
                $"Unknown JWT signing setting '{settingName}'; expected one of {Rs256PubkeySetting}, {Rs256SecretSetting}, {Hs256SecretSetting}.",
                nameof(settingName));
        }

        return Wrap(
            () =>
            {
                string compact = string.Concat(base64Value.Where(c => c is not (' ' or '\t' or '\n' or '\r' or '\f' or '\v')));
                if (!StrictBase64.TryDecodeStandardPadded(compact, out byte[] decoded))
                {
                    throw new ArgumentException("the value is not valid base64 (standard alphabet, with padding)");
                }

                return settingName switch
                {
                    Hs256SecretSetting => CreateHs256(decoded),
                    Rs256SecretSetting => CreateRs256Secret(DecodePemText(decoded)),
                    _ => CreateRs256PublicKey(DecodePemText(decoded)),
                };
            },
            $"Invalid {settingName}",
            nameof(base64Value));
    }

    private static JwtKey CreateHs256(byte[] secret) =>
        secret.Length == 0
            ? throw new ArgumentException("the HS256 secret must not be empty")
            : new JwtKey(HS256, [.. secret], null, null);

    private static JwtKey CreateRs256Secret(string pem)
    {
        RSA rsa = RsaPemReader.ImportPrivateKey(pem);
        return new JwtKey(RS256, null, rsa.ExportSubjectPublicKeyInfo(), rsa);
    }

    private static JwtKey CreateRs256PublicKey(string pem) =>
        new(RS256, null, RsaPemReader.ImportPublicKeySpki(pem), null);

    internal byte[] SignRs256(ReadOnlySpan<byte> data)
    {
        RSA rsa = _rsaPrivateKey ?? throw new InvalidOperationException("Not an RS256 private key.");
        lock (_signLock)
        {
            return rsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    private static string DecodePemText(byte[] decoded)
    {
        try
        {
            return StrictUtf8.GetString(decoded);
        }
        catch (DecoderFallbackException)
        {
            throw new ArgumentException("the base64 value does not decode to UTF-8 PEM text");
        }
    }

    /// <summary>Turns the reason-only <see cref="ArgumentException"/>s of the importers into one clear message.</summary>
    private static JwtKey Wrap(Func<JwtKey> create, string prefix, string paramName)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{prefix}: {e.Message}.", paramName, e);
        }
    }
}
