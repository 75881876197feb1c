using System.Security.Cryptography;
using Vega.Lite.Core.Pooling;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// RSASSA-PKCS1-v1_5 / SHA-256 verification. .NET does not document <see cref="RSA"/> instances as safe for
/// concurrent use, so each verification rents an instance from a small pool (one import per instance, reused
/// afterwards); concurrent callers never share an instance.
/// </summary>
internal sealed class RsaSha256Verifier : SignatureVerifier
{
    private readonly byte[] _subjectPublicKeyInfo;
    private readonly IdlePool<RSA> _idle = new(Math.Max(4, Environment.ProcessorCount * 2));
    private readonly int _signatureLength;

    public RsaSha256Verifier(byte[] subjectPublicKeyInfo)
    {
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        RSA first = Create();
        _signatureLength = (first.KeySize + 7) / 8;
        _idle.TryKeep(first);
    }

    public override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != _signatureLength)
        {
            return false;
        }

        RSA rsa = _idle.TryTake(out RSA? pooled) ? pooled : Create();
        try
        {
            return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            if (!_idle.TryKeep(rsa))
            {
                rsa.Dispose();
            }
        }
    }

    private RSA Create()
    {
        RSA rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
        return rsa;
    }
}
