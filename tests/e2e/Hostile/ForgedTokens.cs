using System.Security.Cryptography;
using System.Text;

namespace Vega.Lite.E2E.Hostile;

/// <summary>
/// Compact JWTs made by the test, not the server: signed with the server's own key (to probe claim handling), with
/// other keys, with other algorithms, or not at all.
/// </summary>
internal static class ForgedTokens
{
    /// <summary>Every permission bit on every cache: a token that, if accepted, could do anything.</summary>
    public const string AllCaches = """{"caches":{"*":{"r":1,"w":1,"d":1,"cc":1,"cr":1,"cq":1,"cd":1}}}""";

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    /// <summary>Claims JSON from raw JSON values; a null value leaves the claim out.</summary>
    public static string Claims(string? exp, string? nbf = null, string? iat = null, string? access = AllCaches, string sub = "\"mallory\"")
    {
        var parts = new List<string> { $"\"sub\":{sub}" };
        if (exp is not null)
        {
            parts.Add($"\"exp\":{exp}");
        }
        if (nbf is not null)
        {
            parts.Add($"\"nbf\":{nbf}");
        }
        if (iat is not null)
        {
            parts.Add($"\"iat\":{iat}");
        }
        if (access is not null)
        {
            parts.Add($"\"https://jwt.attic.rs/v1\":{access}");
        }
        return "{" + string.Join(',', parts) + "}";
    }

    public static string Header(string alg) => $$"""{"alg":"{{alg}}","typ":"JWT"}""";

    /// <summary><c>B64(header).B64(claims).B64(sign(signing input))</c>.</summary>
    public static string Sign(string headerJson, string claimsJson, Func<byte[], byte[]> sign)
    {
        var input = B64(headerJson) + "." + B64(claimsJson);
        return input + "." + B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static Func<byte[], byte[]> Hs256(byte[] key) => data => HMACSHA256.HashData(key, data);

    public static Func<byte[], byte[]> Hs384(byte[] key) => data => HMACSHA384.HashData(key, data);

    public static Func<byte[], byte[]> Hs512(byte[] key) => data => HMACSHA512.HashData(key, data);

    public static Func<byte[], byte[]> Rs256(RSA key) => data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public static Func<byte[], byte[]> Rs512(RSA key) => data => key.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);

    public static Func<byte[], byte[]> Ps256(RSA key) => data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    public static Func<byte[], byte[]> Empty => _ => [];

    /// <summary>The token with one character of its signature changed.</summary>
    public static string FlipLastSignatureChar(string token) =>
        token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

    /// <summary>The token's claims replaced by <paramref name="claimsJson"/>, its original header and signature kept.</summary>
    public static string WithClaims(string token, string claimsJson)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{B64(claimsJson)}.{parts[2]}";
    }

    /// <summary>The token's decoded claims JSON.</summary>
    public static string ClaimsOf(string token)
    {
        var segment = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(segment.PadRight((segment.Length + 3) / 4 * 4, '=')));
    }
}
