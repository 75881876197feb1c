using System.Security.Cryptography;
using System.Text;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Tests.Support;

/// <summary>Store paths with real NARs (made by NarWriter from files on disk), and the narinfo Nix would upload for them.</summary>
public sealed record TestNar(string StorePath, byte[] Nar, IReadOnlyList<string> References)
{
    public string Hash => System.IO.Path.GetFileName(StorePath)[..32];
    public string BaseName => System.IO.Path.GetFileName(StorePath);
    public string NarHashNix32 => "sha256:" + Nix32.Encode(SHA256.HashData(Nar));

    /// <summary>A regular file with <paramref name="contents"/> under a fresh random store path name.</summary>
    public static TestNar File(string name, string contents, params string[] references) => File(name, Encoding.UTF8.GetBytes(contents), references);

    public static TestNar File(string name, byte[] contents, params string[] references)
    {
        var temp = System.IO.Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllBytes(temp, contents);
            using var nar = new MemoryStream();
            NarWriter.Dump(temp, nar);
            return new TestNar($"/nix/store/{RandomHash()}-{name}", nar.ToArray(), references);
        }
        finally
        {
            System.IO.File.Delete(temp);
        }
    }

    /// <summary>A directory tree <paramref name="depth"/> directories deep with a file at the bottom, as deep node_modules are.</summary>
    public static TestNar DeepTree(string name, int depth)
    {
        var root = Directory.CreateTempSubdirectory("vega-deep-").FullName;
        try
        {
            var leaf = System.IO.Path.Combine([root, .. Enumerable.Repeat("node_modules", depth)]);
            Directory.CreateDirectory(leaf);
            System.IO.File.WriteAllText(System.IO.Path.Combine(leaf, "index.js"), "module.exports = 1;\n");
            using var nar = new MemoryStream();
            NarWriter.Dump(root, nar);
            return new TestNar($"/nix/store/{RandomHash()}-{name}", nar.ToArray(), []);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Reproducible random contents: incompressible, and the same for the same seed.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string RandomHash()
    {
        const string alphabet = "0123456789abcdfghijklmnpqrsvwxyz";
        return string.Create(32, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    /// <summary>The NAR compressed as `nix copy` would upload it, and the file name Nix gives it.</summary>
    public (byte[] File, string FileName) Compressed(string compression)
    {
        byte[] file;
        string extension;
        switch (compression)
        {
            case "zstd":
                file = Compress(s => new ZstdCompressStream(s, 3, leaveOpen: true));
                extension = ".zst";
                break;
            case "xz":
                file = Compress(s => new XzCompressStream(s, 1, leaveOpen: true));
                extension = ".xz";
                break;
            default:
                file = Nar;
                extension = "";
                break;
        }
        return (file, Nix32.Encode(SHA256.HashData(file)) + ".nar" + extension);
    }

    public string NarInfo(string fileName, string compression, string? narHash = null, long? narSize = null) =>
        $"StorePath: {StorePath}\nURL: nar/{fileName}\nCompression: {compression}\n" +
        $"NarHash: {narHash ?? NarHashNix32}\nNarSize: {narSize ?? Nar.Length}\nReferences: {string.Join(' ', References)}\n";

    private byte[] Compress(Func<Stream, Stream> open)
    {
        using var output = new MemoryStream();
        using (var compressor = open(output))
        {
            compressor.Write(Nar);
        }
        return output.ToArray();
    }
}
