using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>The few libsodium functions needed for Nix's Ed25519 signatures.</summary>
internal static unsafe partial class Sodium
{
    internal const int PublicKeyBytes = 32;
    internal const int SecretKeyBytes = 64;
    internal const int SeedBytes = 32;
    internal const int SignatureBytes = 64;

    static Sodium()
    {
        NativeLibraries.EnsureResolver();

        // 0 = initialised now, 1 = already initialised, -1 = failure.
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("sodium_init() failed");
        }
    }

    internal static string VersionString() => Marshal.PtrToStringUTF8((IntPtr)sodium_version_string()) ?? "?";

    [LibraryImport(NativeLibraries.SodiumLibrary)]
    private static partial int sodium_init();

    [LibraryImport(NativeLibraries.SodiumLibrary)]
    private static partial byte* sodium_version_string();

    [LibraryImport(NativeLibraries.SodiumLibrary)]
    internal static partial int crypto_sign_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(NativeLibraries.SodiumLibrary)]
    internal static partial int crypto_sign_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(NativeLibraries.SodiumLibrary)]
    internal static partial int crypto_sign_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);
}
