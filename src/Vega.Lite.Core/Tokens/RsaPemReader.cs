using System.Security.Cryptography;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Imports RSA keys from PEM text the way jwt-simple (OpenSSL) reads them: the text is trimmed and the first
/// PEM block with an acceptable label is used; other blocks are skipped.
/// Errors are <see cref="ArgumentException"/>s with a reason suitable for a configuration error message.
/// </summary>
internal static class RsaPemReader
{
    private const string Pkcs1Private = "RSA PRIVATE KEY";
    private const string Pkcs8Private = "PRIVATE KEY";
    private const string EncryptedPkcs8 = "ENCRYPTED PRIVATE KEY";
    private const string Spki = "PUBLIC KEY";
    private const string Pkcs1Public = "RSA PUBLIC KEY";

    /// <summary>PKCS#1 <c>RSA PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>.</summary>
    public static RSA ImportPrivateKey(string pem)
    {
        (string label, byte[] der) = FindBlock(pem, [Pkcs1Private, Pkcs8Private], out bool sawPublic, out bool sawEncrypted);
        if (label.Length == 0)
        {
            throw new ArgumentException(
                sawEncrypted ? "encrypted private keys are not supported; decrypt the key first"
                : sawPublic ? "the PEM contains a public key, but a private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY) is required"
                : "no PEM block 'BEGIN RSA PRIVATE KEY' or 'BEGIN PRIVATE KEY' found");
        }

        RSA rsa = RSA.Create();
        try
        {
            int read;
            if (label == Pkcs1Private)
            {
                rsa.ImportRSAPrivateKey(der, out read);
            }
            else
            {
                rsa.ImportPkcs8PrivateKey(der, out read);
            }

            RequireFullyRead(read, der, label);
            RequireConsistentKeyPair(rsa);
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new ArgumentException($"the '{label}' PEM block is not a valid RSA private key ({e.Message})", e);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>SPKI <c>PUBLIC KEY</c> or PKCS#1 <c>RSA PUBLIC KEY</c>; returns the key as SPKI DER.</summary>
    public static byte[] ImportPublicKeySpki(string pem)
    {
        (string label, byte[] der) = FindBlock(pem, [Spki, Pkcs1Public], out _, out _);
        if (label.Length == 0)
        {
            throw new ArgumentException("no PEM block 'BEGIN PUBLIC KEY' or 'BEGIN RSA PUBLIC KEY' found");
        }

        using RSA rsa = RSA.Create();
        try
        {
            int read;
            if (label == Spki)
            {
                rsa.ImportSubjectPublicKeyInfo(der, out read);
            }
            else
            {
                rsa.ImportRSAPublicKey(der, out read);
            }

            RequireFullyRead(read, der, label);
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"the '{label}' PEM block is not a valid RSA public key ({e.Message})", e);
        }
    }

    private static (string Label, byte[] Der) FindBlock(
        string pem, string[] accepted, out bool sawPublic, out bool sawEncrypted)
    {
        sawPublic = false;
        sawEncrypted = false;
        ReadOnlySpan<char> remaining = pem.AsSpan().Trim();
        while (PemEncoding.TryFind(remaining, out PemFields fields))
        {
            string label = remaining[fields.Label].ToString();
            if (Array.IndexOf(accepted, label) >= 0)
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(remaining[fields.Base64Data], der, out int written) || written != der.Length)
                {
                    throw new ArgumentException($"the '{label}' PEM block has invalid base64 content");
                }

                return (label, der);
            }

            sawPublic |= label is Spki or Pkcs1Public;
            sawEncrypted |= label == EncryptedPkcs8;
            remaining = remaining[fields.Location.End..];
        }

        return (string.Empty, []);
    }

    private static void RequireFullyRead(int read, byte[] der, string label)
    {
        if (read != der.Length)
        {
            throw new ArgumentException($"the '{label}' PEM block has trailing data after the key");
        }
    }

    /// <summary>Stands in for OpenSSL's <c>RSA_check_key</c>: a private key must verify its own signature.</summary>
    private static void RequireConsistentKeyPair(RSA rsa)
    {
        ReadOnlySpan<byte> probe = "attic-jwt-key-check"u8;
        byte[] signature = rsa.SignData(probe.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using RSA publicOnly = RSA.Create();
        publicOnly.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        if (!publicOnly.VerifyData(probe, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw new ArgumentException("the RSA private key is inconsistent (its own signature does not verify)");
        }
    }
}
