using System.IO.Compression;
using Vega.Lite.Core.Compression;
using static Vega.Lite.E2E.Hostile.NarBytes;

namespace Vega.Lite.E2E.Hostile;

/// <summary>NAR bodies on both upload routes: valid NARs that must be taken, and every way a NAR can be broken.</summary>
internal static partial class HostileCases
{
    private sealed record NarVariant(string Name, bool? Valid, Func<byte[]> Make);

    /// <summary>The file extensions of the Nix NAR PUT route that the server decompresses.</summary>
    private static readonly string[] Extensions = ["", ".xz", ".zst", ".br"];

    private static List<NarVariant> NarVariants()
    {
        var rng = new Random(Seed + 1);
        var tree = new NarDir(
            (B("bin"), new NarDir((B("run"), new NarFile(B("#!/bin/sh\necho hi\n"), Executable: true)))),
            (B("link"), new NarLink(B("bin/run"))),
            (B("share"), new NarDir((B("data"), new NarFile(B("some data to make this NAR longer than a few tokens"))))));
        var treeNar = Of(tree);
        var big = RandomBytes(rng, 1 << 20);
        var variants = new List<NarVariant>
        {
            new("valid-file", true, () => File("hostile valid file")),
            new("valid-file-empty", true, () => Of(new NarFile([]))),
            new("valid-file-8-bytes-no-padding", true, () => Of(new NarFile(B("12345678")))),
            new("valid-file-executable", true, () => Of(new NarFile(B("#!/bin/sh\n"), Executable: true))),
            new("valid-file-1mib-random", true, () => Of(new NarFile(big()))),
            new("valid-file-8mib-zeros", true, () => Of(new NarFile(new byte[8 << 20]))),
            new("valid-symlink", true, () => Of(new NarLink(B("target")))),
            new("valid-symlink-absolute", true, () => Of(new NarLink(B("/nix/store/00000000000000000000000000000000-x/bin")))),
            new("valid-symlink-4095-bytes", true, () => Of(new NarLink(B(new string('a', 4095))))),
            new("valid-dir-empty", true, () => Of(new NarDir())),
            new("valid-dir-tree", true, () => treeNar),
            new("valid-dir-2000-entries", true, () => Of(new NarDir([.. Enumerable.Range(0, 2000).Select(i => (B($"e{i:D5}"), (NarNode)new NarFile(B($"{i}"))))]))),
            new("valid-name-255-bytes", true, () => Of(new NarDir((B(new string('n', 255)), new NarFile(B("x")))))),
            new("valid-name-utf8", true, () => Of(new NarDir((B("caf\u00e9-\u65e5\u672c"), new NarFile(B("x")))))),
            new("valid-name-not-utf8", true, () => Of(new NarDir(([0xff, 0xfe, 0x41], new NarFile(B("x")))))),
            new("valid-name-newline-and-space", true, () => Of(new NarDir((B("a b\nc"), new NarFile(B("x")))))),
            new("valid-name-case-hack", true, () => Of(new NarDir((B("Foo~nix~case~hack~1"), new NarFile(B("x")))))),
        };
        foreach (var depth in new[] { 10, 62, 63, 64, 70, 200, 1000 })
        {
            variants.Add(new($"valid-deep-{depth}", true, () => Deep(depth)));
        }

        variants.AddRange(
        [
            new("empty-body", false, () => []),
            new("magic-only", false, () => Start().ToArray()),
            new("bad-magic", false, () => new NarBytes().Str("nix-archive-2").Node(new NarFile(B("x"))).ToArray()),
            new("magic-unpadded", false, () => new NarBytes().U64(13).Raw(B(Magic)).Node(new NarFile(B("x"))).ToArray()),
            new("magic-nonzero-padding", false, () => new NarBytes().Str(B(Magic), pad: 0x20).Node(new NarFile(B("x"))).ToArray()),
            new("garbage-after-magic", false, () => [.. Start().ToArray(), .. RandomBytesNow(Seed + 2, 300)]),
            new("length-2^63", false, () => Start().U64(1UL << 63).Raw(B("(type")).ToArray()),
            new("length-2^64-1", false, () => Start().U64(ulong.MaxValue).Raw(B("(type")).ToArray()),
            new("contents-length-2^62", false, () => Start().Strs("(", "type", "regular", "contents").U64(1UL << 62).Raw(B("short")).ToArray()),
            new("contents-length-1tib", false, () => Start().Strs("(", "type", "regular", "contents").U64(1UL << 40).Raw(new byte[4096]).ToArray()),
            new("contents-longer-than-body", false, () => Start().Strs("(", "type", "regular", "contents").U64(100).Raw(new byte[40]).ToArray()),
            new("name-length-2^32", false, () => Start().Strs("(", "type", "directory", "entry", "(", "name").U64(1UL << 32).Raw(B("x")).ToArray()),
            new("tag-length-1e6", false, () => Start().Str(new byte[1_000_000]).ToArray()),
            new("tag-too-long", false, () => Start().Str(new string('(', 100)).ToArray()),
            new("name-with-slash", false, () => Of(new NarDir((B("a/b"), new NarFile(B("x")))))),
            new("name-slash-only", false, () => Of(new NarDir((B("/"), new NarFile(B("x")))))),
            new("name-dotdot", false, () => Of(new NarDir((B(".."), new NarFile(B("x")))))),
            new("name-dot", false, () => Of(new NarDir((B("."), new NarFile(B("x")))))),
            new("name-dotdot-slash-escape", false, () => Of(new NarDir((B("../../etc/passwd"), new NarFile(B("x")))))),
            new("name-empty", false, () => Of(new NarDir(([], new NarFile(B("x")))))),
            new("name-with-nul", false, () => Of(new NarDir((B("a\0b"), new NarFile(B("x")))))),
            new("name-nul-only", false, () => Of(new NarDir(([0], new NarFile(B("x")))))),
            new("entries-unsorted", false, () => Of(new NarDir((B("b"), new NarFile(B("x"))), (B("a"), new NarFile(B("y")))))),
            new("entries-duplicate", false, () => Of(new NarDir((B("a"), new NarFile(B("x"))), (B("a"), new NarFile(B("y")))))),
            new("padding-nonzero-contents", false, () => Start().Strs("(", "type", "regular", "contents").Str(B("abc"), pad: 1).Str(")").ToArray()),
            new("padding-nonzero-name", false, () => Start().Strs("(", "type", "directory", "entry", "(", "name").Str(B("abc"), pad: 0xff)
                .Str("node").Node(new NarFile(B("x"))).Strs(")", ")").ToArray()),
            new("padding-nonzero-target", false, () => Start().Strs("(", "type", "symlink", "target").Str(B("abc"), pad: 7).Str(")").ToArray()),
            new("padding-nonzero-tag", false, () => Start().Str(B("("), pad: 0x28).Strs("type", "regular", "contents").Str(B("x")).Str(")").ToArray()),
            new("padding-missing", false, () => Start().Strs("(", "type", "regular", "contents").U64(3).Raw(B("abc")).Str(")").ToArray()),
            new("symlink-empty-target", false, () => Of(new NarLink([]))),
            new("symlink-target-with-nul", false, () => Of(new NarLink(B("a\0b")))),
            new("type-unknown", false, () => Start().Strs("(", "type", "fifo", ")").ToArray()),
            new("type-missing", false, () => Start().Strs("(", "contents").Str(B("x")).Str(")").ToArray()),
            new("type-twice", false, () => Start().Strs("(", "type", "regular", "type", "regular", "contents").Str(B("x")).Str(")").ToArray()),
            new("executable-with-value", false, () => Start().Strs("(", "type", "regular", "executable", "yes", "contents").Str(B("x")).Str(")").ToArray()),
            new("contents-twice", false, () => Start().Strs("(", "type", "regular", "contents").Str(B("x")).Str("contents").Str(B("y")).Str(")").ToArray()),
            new("regular-without-contents", false, () => Start().Strs("(", "type", "regular", ")").ToArray()),
            new("symlink-without-target", false, () => Start().Strs("(", "type", "symlink", ")").ToArray()),
            new("close-paren-missing", false, () => Start().Strs("(", "type", "regular", "contents").Str(B("x")).ToArray()),
            new("open-paren-missing", false, () => Start().Strs("type", "regular", "contents").Str(B("x")).Str(")").ToArray()),
            new("entry-without-node", false, () => Start().Strs("(", "type", "directory", "entry", "(", "name", "a", ")", ")").ToArray()),
            new("entry-keyword-capitalised", false, () => Start().Strs("(", "type", "directory", "Entry", "(", "name", "a", "node").Node(new NarFile(B("x"))).Strs(")", ")").ToArray()),
            new("entry-in-regular-file", false, () => Start().Strs("(", "type", "regular", "entry", "(", "name", "a", "node").Node(new NarFile(B("x"))).Strs(")", ")").ToArray()),
            new("nested-parens-20000", false, () => Start().Strs([.. Enumerable.Repeat("(", 20000)]).ToArray()),
            new("extra-close-paren", null, () => [.. File("x"), .. new NarBytes().Str(")").ToArray()]),
            new("trailing-garbage", null, () => [.. File("trailing"), .. RandomBytesNow(Seed + 3, 77)]),
            new("symlink-4096-bytes", null, () => Of(new NarLink(B(new string('a', 4096))))),
            new("name-256-bytes", null, () => Of(new NarDir((B(new string('n', 256)), new NarFile(B("x")))))),
            new("deep-20000", null, () => Deep(20000)),
        ]);
        foreach (var size in new[] { 1, 13, 64, 512, 4096, 65536 })
        {
            variants.Add(new($"garbage-{size}-bytes", false, RandomBytes(rng, size)));
        }
        var cuts = new SortedSet<int> { 1, 8, 16, 23, treeNar.Length - 8, treeNar.Length - 1 };
        while (cuts.Count < 14)
        {
            cuts.Add(rng.Next(1, treeNar.Length));
        }
        foreach (var cut in cuts)
        {
            variants.Add(new($"truncated-at-{cut}-of-{treeNar.Length}", false, () => treeNar[..cut]));
        }
        return variants;
    }

    private static byte[] RandomBytesNow(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Each NAR variant PUT the Nix way in every decompressed compression, and pushed with upload-path in both modes.</summary>
    private static IEnumerable<HostileCase> NarCases()
    {
        foreach (var variant in NarVariants())
        {
            foreach (var extension in Extensions)
            {
                var name = $"nar-put/{(extension.Length == 0 ? "none" : extension[1..])}/{variant.Name}";
                var file = new Lazy<(string File, byte[] Body)>(() =>
                {
                    var body = Compress(extension, variant.Make());
                    return (Requests.NixFileName(body, extension), body);
                });
                yield return new HostileCase(name, RuleFor(variant.Valid), ctx => Requests.PutNar(file.Value.File, file.Value.Body, ctx.RootToken))
                {
                    Stores = true,
                    ProbeNixFile = variant.Valid == false ? file.Value.File : null,
                };
            }
            foreach (var preamble in new[] { false, true })
            {
                var name = $"upload-nar/{(preamble ? "preamble" : "header")}/{variant.Name}";
                var hash = Requests.StorePathHash(name);
                yield return new HostileCase(name, RuleFor(variant.Valid), ctx =>
                {
                    var nar = variant.Make();
                    return Requests.UploadPath(Requests.UploadInfo(hash, nar).Render(), nar, preamble, ctx.RootToken);
                })
                {
                    Stores = true,
                    ProbeHash = hash,
                };
            }
        }
    }

    public static byte[] Compress(string extension, byte[] data)
    {
        if (extension.Length == 0)
        {
            return data;
        }
        using var output = new MemoryStream();
        using (Stream compressor = extension switch
        {
            ".xz" => new XzCompressStream(output, preset: 1, leaveOpen: true),
            ".zst" => new ZstdCompressStream(output, level: 3, leaveOpen: true),
            ".br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => throw new ArgumentException(extension),
        })
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Broken compressed bodies for each decompressed extension, and the compressions the server does not take.</summary>
    private static IEnumerable<HostileCase> CompressionCases()
    {
        var rng = new Random(Seed + 4);
        var nar = RandomNarFactory(rng, 200_000);
        foreach (var extension in Extensions[1..])
        {
            var label = extension[1..];
            var cases = new List<(string Name, bool? Valid, Func<byte[]> Body)>();
            foreach (var size in new[] { 1, 100, 5000 })
            {
                var garbage = RandomBytes(rng, size);
                cases.Add(($"garbage-{size}", false, garbage));
            }
            foreach (var fraction in new[] { 0.1, 0.5, 0.99 })
            {
                cases.Add(($"truncated-{(int)(fraction * 100)}pct", false, () =>
                {
                    var body = Compress(extension, nar());
                    return body[..(int)(body.Length * fraction)];
                }
                ));
            }
            foreach (var position in new[] { 0.02, 0.5, 0.97 })
            {
                cases.Add(($"byte-flipped-at-{(int)(position * 100)}pct", null, () =>
                {
                    var body = Compress(extension, nar());
                    body[(int)(body.Length * position)] ^= 0x5a;
                    return body;
                }
                ));
            }
            cases.Add(("empty", false, () => []));
            cases.Add(("magic-only", false, () => Compress(extension, nar())[..6]));
            cases.Add(("other-format", false, () => Compress(extension == ".zst" ? ".xz" : ".zst", nar())));
            cases.Add(("uncompressed-nar", false, () => nar()));
            cases.Add(("compressed-garbage", false, () => Compress(extension, RandomBytesNow(Seed + 5, 10_000))));
            cases.Add(("trailing-garbage", null, () => [.. Compress(extension, nar()), .. RandomBytesNow(Seed + 6, 100)]));
            cases.Add(("two-streams", null, () => [.. Compress(extension, nar()), .. Compress(extension, nar())]));
            foreach (var (name, valid, make) in cases)
            {
                var body = new Lazy<byte[]>(make);
                var caseName = $"compression/{label}/{name}";
                yield return new HostileCase(caseName, RuleFor(valid), ctx => Requests.PutNar(Requests.NixFileName(body.Value, extension), body.Value, ctx.RootToken))
                {
                    Stores = true,
                    ProbeNixFile = valid == false ? Requests.NixFileName(body.Value, extension) : null,
                };
            }
        }
        foreach (var extension in new[] { ".bz2", ".lz4", ".lzip" })
        {
            foreach (var (name, make) in new (string, Func<byte[]>)[] { ("raw-nar", () => File("unsupported")), ("garbage", RandomBytes(rng, 1000)) })
            {
                var body = new Lazy<byte[]>(make);
                yield return new HostileCase($"compression/{extension[1..]}-unsupported/{name}", Rule.Rejected,
                    ctx => Requests.PutNar(Requests.NixFileName(body.Value, extension), body.Value, ctx.RootToken))
                {
                    Stores = true,
                    ProbeNixFile = Requests.NixFileName(body.Value, extension),
                };
            }
        }
    }

    private static Func<byte[]> RandomNarFactory(Random rng, int contentBytes)
    {
        var contents = RandomBytes(rng, contentBytes);
        return () => Of(new NarDir((B("blob"), new NarFile(contents())), (B("note"), new NarFile(B("hostile compression case")))));
    }

    /// <summary>NAR file names on the Nix route that are not <c>&lt;52-char nix32 hash&gt;.nar[.ext]</c> of the body.</summary>
    private static IEnumerable<HostileCase> NarNameCases()
    {
        var nar = File("hostile named NAR");
        var good = Requests.NixFileName(nar)[..52];
        var names = new (string Name, string File)[]
        {
            ("wrong-hash", Requests.NixFileName(File("another NAR"))),
            ("hash-51-chars", good[..51] + ".nar"),
            ("hash-53-chars", good + "0.nar"),
            ("hash-uppercase", good.ToUpperInvariant() + ".nar"),
            ("hash-letter-e", "e" + good[1..] + ".nar"),
            ("no-extension", good),
            ("double-dot", good + "..nar"),
            ("extension-gz", good + ".nar.gz"),
            ("extension-zstd", good + ".nar.zstd"),
            ("extension-xz-xz", good + ".nar.xz.xz"),
            ("extension-uppercase", good + ".NAR"),
            ("extension-narinfo", good + ".narinfo"),
            ("hex-hash", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(nar)) + ".nar"),
            ("percent-encoded-slash", good + "%2F..%2F.nar"),
            ("percent-encoded-nul", good + "%00.nar"),
            ("dotdot", ".."),
        };
        foreach (var (name, file) in names)
        {
            yield return new HostileCase($"nar-name/{name}", Rule.Rejected, ctx => Requests.PutNar(file, nar, ctx.RootToken))
            {
                Stores = true,
                ProtocolLevel = name.Contains("nul"), // Kestrel refuses a decoded NUL in the path itself
            };
        }
    }
}
