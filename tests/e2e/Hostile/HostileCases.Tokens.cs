using System.Security.Cryptography;
using System.Text;
using static Vega.Lite.E2E.Hostile.ForgedTokens;
using static Vega.Lite.E2E.Hostile.Requests;

namespace Vega.Lite.E2E.Hostile;

/// <summary>
/// Tokens: forged (no signature, other keys, other algorithms, key confusion), tampered, malformed, and signed with
/// the server's own key but carrying time claims at the edges of their types or claims of the wrong shape. Each is
/// tried on both write routes and on a read of the private cache: 401 or 403, never access.
/// </summary>
internal static partial class HostileCases
{
    private sealed record TokenVariant(string Name, Func<HostileContext, string> Token, Rule Write, Rule Read);

    private static List<TokenVariant> TokenVariants(bool rs256)
    {
        string Valid(HostileContext c) => Claims(exp: (c.Now + 3600).ToString());
        string Signed(HostileContext c, string claims) => Sign(Header(c.Algorithm), claims, c.ServerSigner);
        var variants = new List<TokenVariant>
        {
            new("control-make-token", c => c.RootToken, Rule.Accepted, Rule.Accepted),
            new("control-self-signed", c => Signed(c, Valid(c)), Rule.Accepted, Rule.Accepted),
            new("control-pull-only", c => c.PullToken, Rule.Denied, Rule.Accepted),
            new("other-cache-only", c => Signed(c, Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"other\":{\"r\":1,\"w\":1}}}")), Rule.Denied, Rule.Denied),
        };
        void Deny(string name, Func<HostileContext, string> token) => variants.Add(new(name, token, Rule.Denied, Rule.Denied));
        void Odd(string name, Func<HostileContext, string> token) => variants.Add(new(name, token, Rule.NoServerError, Rule.NoServerError));

        foreach (var exp in new[]
        {
            "-1", "-2", "-2147483648", "-2147483649", "-4294967296", "-9223372036854775808", "0", "1", "{past}", "{long-past}",
            "9223372036854775808", "18446744073709551615", "18446744073709551616", "1e30", "-1e30", "1e300", "1.5",
            "\"{future}\"", "\"x\"", "true", "null", "[]", "{}",
        })
        {
            Deny($"exp-{Label(exp)}", c => Signed(c, Claims(exp: Time(exp, c))));
        }
        foreach (var nbf in new[]
        {
            "{future}", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
            "1e30", "-1", "-2147483648", "-9223372036854775808", "\"0\"", "true", "[]",
        })
        {
            Deny($"nbf-{Label(nbf)}", c => Signed(c, Claims(exp: (c.Now + 3600).ToString(), nbf: Time(nbf, c))));
        }
        foreach (var iat in new[] { "{future}", "9223372036854775808", "18446744073709551615", "1e30", "-1", "-2147483648", "\"x\"", "true" })
        {
            Deny($"iat-{Label(iat)}", c => Signed(c, Claims(exp: (c.Now + 3600).ToString(), iat: Time(iat, c))));
        }

        foreach (var alg in new[] { "none", "None", "NONE", "nOnE" })
        {
            Deny($"alg-{alg}-unsigned", c => Sign($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}", Valid(c), Empty));
        }
        Deny("alg-none-no-typ", c => Sign("{\"alg\":\"none\"}", Valid(c), Empty));
        Deny("alg-none-server-signature", c => Sign("{\"alg\":\"none\"}", Valid(c), c.ServerSigner));
        Deny("alg-none-two-segments", c => B64("{\"alg\":\"none\"}") + "." + B64(Valid(c)));
        Deny("alg-lowercase", c => Sign(Header(c.Algorithm.ToLowerInvariant()), Valid(c), c.ServerSigner));
        Deny("alg-trailing-space", c => Sign(Header(c.Algorithm + " "), Valid(c), c.ServerSigner));
        Deny("alg-array", c => Sign($"{{\"alg\":[\"{c.Algorithm}\"]}}", Valid(c), c.ServerSigner));
        Deny("alg-null", c => Sign("{\"alg\":null}", Valid(c), c.ServerSigner));
        Deny("alg-missing", c => Sign("{\"typ\":\"JWT\"}", Valid(c), c.ServerSigner));
        Deny("alg-number", c => Sign("{\"alg\":256}", Valid(c), c.ServerSigner));
        Deny("alg-empty", c => Sign("{\"alg\":\"\"}", Valid(c), c.ServerSigner));
        Deny("alg-ES256-garbage-signature", c => Sign(Header("ES256"), Valid(c), _ => new byte[64]));
        Deny("alg-EdDSA-garbage-signature", c => Sign(Header("EdDSA"), Valid(c), _ => new byte[64]));
        Deny("alg-other-family-server-signature", c => Sign(Header(c.Algorithm == "HS256" ? "RS256" : "HS256"), Valid(c), c.ServerSigner));
        var otherRsa = RSA.Create(2048);
        Deny("RS256-other-key", c => Sign(Header("RS256"), Valid(c), Rs256(otherRsa)));
        if (!rs256)
        {
            Deny("HS384-server-key", c => Sign(Header("HS384"), Valid(c), Hs384(KeyOf(c))));
            Deny("HS512-server-key", c => Sign(Header("HS512"), Valid(c), Hs512(KeyOf(c))));
            foreach (var (name, key) in new (string, Func<HostileContext, byte[]>)[]
            {
                ("text-secret", _ => "secret"u8.ToArray()), ("empty", _ => []), ("one-byte", _ => [0]),
                ("server-key-plus-byte", c => [.. KeyOf(c), 1]), ("server-key-minus-byte", c => KeyOf(c)[..^1]),
                ("random-64", _ => RandomNumberGenerator.GetBytes(64)), ("base64-text-of-server-key", c => Encoding.ASCII.GetBytes(c.SecretText)),
                ("server-key-bit-flipped", c => { var k = KeyOf(c).ToArray(); k[0] ^= 1; return k; }),
            })
            {
                Deny($"HS256-wrong-key-{name}", c => Sign(Header("HS256"), Valid(c), Hs256(key(c))));
            }
        }
        else
        {
            Deny("RS512-server-key", c => Sign(Header("RS512"), Valid(c), Rs512(RsaOf(c))));
            Deny("PS256-server-key", c => Sign(Header("PS256"), Valid(c), Ps256(RsaOf(c))));
            Deny("PS256-header-RS256", c => Sign(Header("RS256"), Valid(c), Ps256(RsaOf(c))));
            foreach (var (name, key) in new (string, Func<HostileContext, byte[]>)[]
            {
                ("spki-pem", c => c.PublicKeyPem!), ("spki-pem-no-final-newline", c => c.PublicKeyPem![..^1]), ("pkcs1-public-pem", c => c.PublicKeyPkcs1Pem!),
                ("spki-der", c => c.PublicKeyDer!), ("config-base64-text", c => Encoding.ASCII.GetBytes(c.SecretText)), ("private-pem", c => c.PrivateKeyPem!),
                ("spki-pem-crlf", c => Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(c.PublicKeyPem!).Replace("\n", "\r\n"))),
            })
            {
                Deny($"key-confusion-HS256-keyed-with-{name}", c => Sign(Header("HS256"), Valid(c), Hs256(key(c))));
            }
        }

        Deny("typ-JWS", c => Sign($"{{\"alg\":\"{c.Algorithm}\",\"typ\":\"JWS\"}}", Valid(c), c.ServerSigner));
        Deny("typ-number", c => Sign($"{{\"alg\":\"{c.Algorithm}\",\"typ\":1}}", Valid(c), c.ServerSigner));
        Deny("header-not-json", c => Sign("not json", Valid(c), c.ServerSigner));
        Deny("header-array", c => Sign($"[\"{c.Algorithm}\"]", Valid(c), c.ServerSigner));
        Deny("header-empty-object", c => Sign("{}", Valid(c), c.ServerSigner));
        Deny("header-duplicate-alg", c => Sign($"{{\"alg\":\"none\",\"alg\":\"{c.Algorithm}\"}}", Valid(c), c.ServerSigner));
        Deny("header-9000-chars", c => Sign($"{{\"alg\":\"{c.Algorithm}\",\"x\":\"{new string('x', 9000)}\"}}", Valid(c), c.ServerSigner));
        Deny("header-nested-10000", c => Sign($"{{\"alg\":\"{c.Algorithm}\",\"x\":{new string('[', 10000)}{new string(']', 10000)}}}", Valid(c), c.ServerSigner));

        Deny("signature-flipped-char", c => FlipLastSignatureChar(Signed(c, Valid(c))));
        Deny("signature-truncated-1", c => Signed(c, Valid(c))[..^1]);
        Deny("signature-truncated-half", c => { var t = Signed(c, Valid(c)); var dot = t.LastIndexOf('.'); return t[..(dot + (t.Length - dot) / 2)]; });
        Deny("signature-empty", c => { var t = Signed(c, Valid(c)); return t[..(t.LastIndexOf('.') + 1)]; });
        Deny("signature-with-padding", c => Signed(c, Valid(c)) + "=");
        Deny("signature-doubled", c => { var t = Signed(c, Valid(c)); return t + t[(t.LastIndexOf('.') + 1)..]; });
        Deny("signature-of-other-claims", c => { var t = Signed(c, Valid(c)); var o = Signed(c, Claims(exp: "1")); return t[..t.LastIndexOf('.')] + o[o.LastIndexOf('.')..]; });
        Deny("signature-standard-base64", c => { var t = Signed(c, Valid(c)); return t.Replace('-', '+').Replace('_', '/') + (t.Contains('-') || t.Contains('_') ? "" : "=="); });

        Deny("tampered-pull-token-all-caches", c => WithClaims(c.PullToken, ClaimsOf(c.PullToken).Replace("{\"hostile\":{\"r\":1}}", "{\"*\":{\"r\":1,\"w\":1}}")));
        Deny("tampered-pull-token-add-push", c => WithClaims(c.PullToken, ClaimsOf(c.PullToken).Replace("\"r\":1", "\"r\":1,\"w\":1")));
        Deny("tampered-pull-token-whitespace", c => WithClaims(c.PullToken, ClaimsOf(c.PullToken).Replace(":", ": ")));
        Deny("tampered-self-signed-exp", c => WithClaims(Signed(c, Claims(exp: (c.Now - 10).ToString())), Claims(exp: (c.Now + 3600).ToString())));
        Deny("tampered-header", c => { var t = Signed(c, Valid(c)); return B64(Header(c.Algorithm) + " ") + t[t.IndexOf('.')..]; });
        Deny("tampered-sub", c => WithClaims(Signed(c, Valid(c)), Valid(c).Replace("mallory", "root")));

        Deny("empty", _ => ""); Deny("dot", _ => "."); Deny("two-dots", _ => ".."); Deny("garbage", _ => "garbage");
        Deny("two-segments", c => { var t = Signed(c, Valid(c)); return t[..t.LastIndexOf('.')]; });
        Deny("four-segments", c => Signed(c, Valid(c)) + ".x");
        Deny("five-segments-jwe", c => Signed(c, Valid(c)) + ".x.y");
        Deny("padded-segments", c => { var p = Signed(c, Valid(c)).Split('.'); return string.Join('.', p.Select(s => s.PadRight((s.Length + 3) / 4 * 4, '='))); });
        // Six '?' (0x3F) hold a whole 3-byte group at any offset, which base64url spells "Pz8_": the token always changes.
        Deny("standard-base64-claims", c => Sign(Header(c.Algorithm), Valid(c)[..^1] + ",\"jti\":\"??????\"}", c.ServerSigner).Replace('-', '+').Replace('_', '/'));
        Deny("leading-space", c => " " + Signed(c, Valid(c)));
        Deny("10000-dots", _ => new string('.', 10000));
        Odd("token-100kb", c => Signed(c, Claims(exp: (c.Now + 3600).ToString(), sub: Quote(new string('s', 100_000)))));
        Odd("namespace-twice", c => Signed(c, "{\"exp\":" + (c.Now + 3600) + ",\"https://jwt.attic.rs/v1\":{\"caches\":{}},\"https://jwt.attic.rs/v1\":" + AllCaches + "}"));

        foreach (var (name, claims) in new (string, Func<HostileContext, string>)[]
        {
            ("no-namespace", c => Claims(exp: (c.Now + 3600).ToString(), access: null)),
            ("namespace-null", c => Claims(exp: (c.Now + 3600).ToString(), access: "null")),
            ("namespace-string", c => Claims(exp: (c.Now + 3600).ToString(), access: "\"all\"")),
            ("caches-missing", c => Claims(exp: (c.Now + 3600).ToString(), access: "{}")),
            ("caches-null", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":null}")),
            ("caches-array", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":[\"*\"]}")),
            ("permission-true", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"*\":{\"r\":true,\"w\":true}}}")),
            ("permission-2", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"*\":{\"r\":2,\"w\":2}}}")),
            ("permission-string", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"*\":{\"r\":\"1\",\"w\":\"1\"}}}")),
            ("permission-float", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"*\":{\"r\":1.0,\"w\":1.0}}}")),
            ("permission-negative", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"*\":{\"r\":-1,\"w\":-1}}}")),
            ("permission-2^64", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"*\":{\"r\":18446744073709551617,\"w\":18446744073709551617}}}")),
            ("pattern-invalid", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"bad pattern!\":{\"r\":1,\"w\":1},\"*\":{\"r\":1,\"w\":1}}}")),
            ("pattern-empty", c => Claims(exp: (c.Now + 3600).ToString(), access: "{\"caches\":{\"\":{\"r\":1,\"w\":1},\"*\":{\"r\":1,\"w\":1}}}")),
            ("claims-array", _ => "[]"), ("claims-string", _ => "\"x\""), ("claims-number", _ => "1"), ("claims-not-json", _ => "{{{"),
            ("claims-bom", c => "\uFEFF" + Valid(c)), ("claims-nested-10000", c => Valid(c)[..^1] + ",\"x\":" + new string('[', 10000) + new string(']', 10000) + "}"),
            ("sub-number", c => Claims(exp: (c.Now + 3600).ToString(), sub: "1")),
        })
        {
            Deny($"claims-{name}", c => Signed(c, claims(c)));
        }
        return variants;
    }

    private static string Label(string raw) => raw.Trim('"').Replace("{", "").Replace("}", "") switch
    {
        "" when raw == "{}" => "object",
        "[]" => "array",
        var s => raw.StartsWith('"') ? "string-" + s : s,
    };

    /// <summary>A time claim's raw JSON: <c>{past}</c>, <c>{long-past}</c> and <c>{future}</c> relative to the server's start.</summary>
    private static string Time(string raw, HostileContext ctx) => raw
        .Replace("{past}", (ctx.Now - 1).ToString()).Replace("{long-past}", (ctx.Now - 3600).ToString()).Replace("{future}", (ctx.Now + 3600).ToString());

    private static byte[] KeyOf(HostileContext ctx) => Convert.FromBase64String(ctx.SecretText);

    private static RSA RsaOf(HostileContext ctx)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Encoding.ASCII.GetString(ctx.PrivateKeyPem!));
        return rsa;
    }

    private static IEnumerable<HostileCase> TokenCases(bool rs256)
    {
        var prefix = rs256 ? "token-rs256" : "token-hs256";
        foreach (var variant in TokenVariants(rs256))
        {
            var upload = $"{prefix}/upload-path/{variant.Name}";
            var uploadHash = StorePathHash(upload);
            yield return new HostileCase(upload, variant.Write, ctx =>
            {
                var nar = UniqueNar(upload);
                return UploadPath(UploadInfo(uploadHash, nar).Render(), nar, preamble: false, variant.Token(ctx));
            })
            {
                Stores = true,
                ProbeHash = uploadHash,
            };
            var nixPut = $"{prefix}/nix-nar-put-basic/{variant.Name}";
            var nixNar = UniqueNar(nixPut);
            yield return new HostileCase(nixPut, variant.Write, ctx => PutNar(NixFileName(nixNar), nixNar, token: null)
                .With("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("vega:" + variant.Token(ctx)))))
            {
                Stores = true,
                ProbeNixFile = NixFileName(nixNar),
            };
            yield return new HostileCase($"{prefix}/read-cache-config/{variant.Name}", variant.Read,
                ctx => Get($"/_api/v1/cache-config/{HostileContext.Cache}", variant.Token(ctx)));
        }
    }
}
