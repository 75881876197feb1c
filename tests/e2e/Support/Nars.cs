using System.Security.Cryptography;
using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.E2E.Support;

/// <summary>The NAR of a local path, to compare what a pull delivered with what was pushed, byte for byte.</summary>
public static class Nars
{
    public static byte[] Dump(string path)
    {
        using var buffer = new MemoryStream();
        NarWriter.Dump(path, buffer);
        return buffer.ToArray();
    }

    /// <summary>The SHA-256 of the path's NAR, as hex.</summary>
    public static string HashOf(string path) => Convert.ToHexString(SHA256.HashData(Dump(path)));
}
