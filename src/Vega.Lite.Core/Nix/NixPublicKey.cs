using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Nix;

/// <summary>A Nix binary-cache public key, <c>name:base64(32-byte Ed25519 public key)</c>.</summary>
public sealed class NixPublicKey
{
    private readonly byte[] _key;

    internal NixPublicKey(string name, byte[] key)
    {
        Name = name;
        _key = key;
    }

    /// <summary>The key name, e.g. <c>cache.nixos.org-1</c>.</summary>
    public string Name { get; }

    /// <summary>The raw 32 key bytes.</summary>
    public ReadOnlySpan<byte> KeyBytes => _key;

    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out NixPublicKey? key,
        [NotNullWhen(false)] out string? error)
    {
        if (!NixKeyText.TryParse(text, Sodium.PublicKeyBytes, "public key", out string? name, out byte[]? bytes, out error))
        {
            key = null;
            return false;
        }

        key = new NixPublicKey(name, bytes);
        return true;
    }

    /// <exception cref="FormatException">The text is not a valid public key.</exception>
    public static NixPublicKey Parse(string text) =>
        TryParse(text, out NixPublicKey? key, out string? error) ? key : throw new FormatException(error);

    /// <summary><c>name:base64(32 bytes)</c>, the form used in <c>trusted-public-keys</c>.</summary>
    public override string ToString() => NixKeyText.Format(Name, _key);

    /// <summary>
    /// Checks a <c>name:base64(64-byte signature)</c> over <paramref name="message"/>.
    /// False when the signature is malformed, names another key, or does not verify.
    /// </summary>
    public unsafe bool Verify(ReadOnlySpan<byte> message, string signature)
    {
        if (!NixKeyText.TryParse(signature, Sodium.SignatureBytes, "signature", out string? name, out byte[]? sig, out _)
            || !string.Equals(name, Name, StringComparison.Ordinal))
        {
            return false;
        }

        fixed (byte* s = sig)
        fixed (byte* m = message)
        fixed (byte* pk = _key)
        {
            return Sodium.crypto_sign_verify_detached(s, m, (ulong)message.Length, pk) == 0;
        }
    }

    /// <summary><see cref="Verify"/> over the UTF-8 bytes of a narinfo fingerprint.</summary>
    public bool VerifyFingerprint(string fingerprint, string signature)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(fingerprint.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(fingerprint, rented);
            return Verify(rented.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
