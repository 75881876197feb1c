using System.Text;

namespace Vega.Lite.Core.Tests.Support;

/// <summary>Deterministic test inputs.</summary>
internal static class TestData
{
    public const int TenMegabytes = 10 * 1000 * 1000;

    private static readonly string[] Words =
    [
        "nix", "store", "derivation", "narinfo", "closure", "substituter", "zstd", "xz", "sha256",
        "reference", "output", "builder", "/nix/store/", "lib", "bin", "share", "-dev", ".so", "\n", " ",
    ];

    public static byte[] Random(int length, int seed = 1)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Text-like data that compresses well (roughly 4-8x with zstd).</summary>
    public static byte[] Compressible(int length, int seed = 2)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            text.Append(Words[random.Next(Words.Length)]);
            if (random.Next(8) == 0)
            {
                text.Append(random.Next(100000));
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    /// <summary>Half random blocks, half text blocks, interleaved in 4 KiB pieces (about 2x with zstd).</summary>
    public static byte[] SemiCompressible(int length, int seed = 3)
    {
        byte[] data = Compressible(length, seed);
        var random = new Random(seed);
        const int Block = 4096;
        for (int offset = 0; offset < length; offset += 2 * Block)
        {
            random.NextBytes(data.AsSpan(offset, Math.Min(Block, length - offset)));
        }

        return data;
    }
}
