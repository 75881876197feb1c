using System.Security.Cryptography;
using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Core.Tests.Nix.Support;

/// <summary>Golden NAR files produced by <c>nix-store --dump</c> (Nix 2.8), copied next to the test assembly.</summary>
internal static class Golden
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "golden", name));

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] DumpToArray(string path)
    {
        using var output = new MemoryStream();
        NarWriter.Dump(path, output);
        return output.ToArray();
    }
}
