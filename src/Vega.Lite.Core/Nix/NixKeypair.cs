using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Nix;

/// <summary>
/// A Nix binary-cache signing key: <c>name:base64(64 bytes)</c> where the 64 bytes are libsodium's
/// Ed25519 secret key, <c>seed(32) ‖ public key(32)</c>. Signatures are deterministic.
/// </summary>
public sealed class NixKeypair
{
    private readonly byte[] _secretKey;

    private NixKeypair(string name, byte[] secretKey, byte[] publicKey)
    {
        Name = name;
        _secretKey = secretKey;
        PublicKey = new NixPublicKey(name, publicKey);
    }

    /// <summary>The key name, e.g. <c>mycache-1</c>.</summary>
    public string Name { get; }

    public NixPublicKey PublicKey { get; }

    /// <summary>Creates a new key from 32 random bytes (<see cref="RandomNumberGenerator"/>).</summary>
    /// <exception cref="ArgumentException">The name is empty or contains ':'.</exception>
    public static NixKeypair Generate(string keyName)
    {
        NixKeyText.ValidateName(keyName, nameof(keyName));
        Span<byte> seed = stackalloc byte[Sodium.SeedBytes];
        try
        {
            RandomNumberGenerator.Fill(seed);
            return FromSeed(keyName, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Parses <c>name:base64(64 bytes)</c> (surrounding whitespace, such as a file's trailing newline, is ignored)
    /// and checks that the public half is the one derived from the seed.
    /// </summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out NixKeypair? keypair,
        [NotNullWhen(false)] out string? error)
    {
        keypair = null;
        if (!NixKeyText.TryParse(text, Sodium.SecretKeyBytes, "secret key", out string? name, out byte[]? bytes, out error))
        {
            return false;
        }

        try
        {
            NixKeypair derived = FromSeed(name, bytes.AsSpan(0, Sodium.SeedBytes));
            if (!CryptographicOperations.FixedTimeEquals(derived.PublicKey.KeyBytes, bytes.AsSpan(Sodium.SeedBytes)))
            {
                error = "Invalid secret key: the public key half does not match the one derived from the seed";
                return false;
            }

            keypair = derived;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <exception cref="FormatException">The text is not a valid secret key.</exception>
    public static NixKeypair Parse(string text) =>
        TryParse(text, out NixKeypair? keypair, out string? error) ? keypair : throw new FormatException(error);

    /// <summary><c>name:base64(seed ‖ public key)</c>, the format of <c>nix-store --generate-binary-cache-key</c>.</summary>
    public string ToSecretKeyString() => NixKeyText.Format(Name, _secretKey);

    /// <summary>Signs <paramref name="message"/> and returns <c>name:base64(64-byte signature)</c>.</summary>
    public unsafe string Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> signature = stackalloc byte[Sodium.SignatureBytes];
        fixed (byte* sig = signature)
        fixed (byte* m = message)
        fixed (byte* sk = _secretKey)
        {
            if (Sodium.crypto_sign_detached(sig, null, m, (ulong)message.Length, sk) != 0)
            {
                throw new CryptographicException("crypto_sign_detached failed");
            }
        }

        return NixKeyText.Format(Name, signature);
    }

    /// <summary>Signs the UTF-8 bytes of a narinfo fingerprint (the value of a <c>Sig:</c> line).</summary>
    public string SignFingerprint(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(fingerprint.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(fingerprint, rented);
            return Sign(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static unsafe NixKeypair FromSeed(string name, ReadOnlySpan<byte> seed)
    {
        byte[] secretKey = new byte[Sodium.SecretKeyBytes];
        byte[] publicKey = new byte[Sodium.PublicKeyBytes];
        fixed (byte* pk = publicKey)
        fixed (byte* sk = secretKey)
        fixed (byte* s = seed)
        {
            if (Sodium.crypto_sign_seed_keypair(pk, sk, s) != 0)
            {
                throw new CryptographicException("crypto_sign_seed_keypair failed");
            }
        }

        return new NixKeypair(name, secretKey, publicKey);
    }
}
