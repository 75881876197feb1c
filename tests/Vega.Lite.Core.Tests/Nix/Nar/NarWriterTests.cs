using System.Text;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Core.Tests.Nix.Nar;

public sealed class NarWriterTests
{
    // The 128-byte NAR of a regular file holding "hello world" (docs/nix-cache-protocol.md §2, observed with Nix 2.8).
    private const string HelloWorldNarHex =
        "0d00000000000000" + "6e69782d61726368" + "6976652d31000000" + "0100000000000000" +
        "2800000000000000" + "0400000000000000" + "7479706500000000" + "0700000000000000" +
        "726567756c617200" + "0800000000000000" + "636f6e74656e7473" + "0b00000000000000" +
        "68656c6c6f20776f" + "726c640000000000" + "0100000000000000" + "2900000000000000";

    [Fact]
    public void HelloWorld_MatchesTheReferenceHexDump()
    {
        byte[] expected = Convert.FromHexString(HelloWorldNarHex);
        Assert.Equal(128, expected.Length);
        Assert.Equal("ae45042aef5b148835db02d045fe89b4c09ff9e476dab001a14bc0322d3f2093", Golden.Sha256Hex(expected));
        Assert.Equal(expected, Golden.Read("hello-world.nar"));

        using var output = new MemoryStream();
        NarWriter.DumpContents("hello world"u8, output);
        Assert.Equal(expected, output.ToArray());

        using var dir = new TempDirectory();
        string file = dir.Combine("dep.txt");
        File.WriteAllText(file, "hello world");
        Assert.Equal(expected, Golden.DumpToArray(file));
    }

    [Fact]
    public void HelloWorld_NarHashInAllForms()
    {
        NixHash hash = NixHash.FromBytes(System.Security.Cryptography.SHA256.HashData(Golden.Read("hello-world.nar")));
        Assert.Equal("sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", hash.ToNix32String());
        Assert.Equal("sha256-rkUEKu9bFIg12wLQRf6JtMCf+eR22rABoUvAMi0/IJM=", hash.ToSriString());
    }

    [Fact]
    public void ProbeOut_Is752BytesWithTheReferenceHash()
    {
        using var dir = new TempDirectory();
        byte[] nar = Golden.DumpToArray(TestTrees.CreateProbeOut(dir.Path));

        Assert.Equal(752, nar.Length);
        Assert.Equal("a8cb78b3eeeb2eec67b746ba20bb3c3dfcd8dbbf3ded6137c5b79baeaf6b930a", Golden.Sha256Hex(nar));
        Assert.Equal(Golden.Read("probe-out.nar"), nar);
        Assert.Equal(
            "sha256:02lkdfpsx6xpqlvn3v9xpzdxiz1x7jxj1fj6nxkyqbpbxsrpijx8",
            NixHash.FromBytes(System.Security.Cryptography.SHA256.HashData(nar)).ToNix32String());
    }

    [Fact]
    public void MixedTree_MatchesGolden()
    {
        using var dir = new TempDirectory();
        byte[] nar = Golden.DumpToArray(TestTrees.CreateMixed(dir.Path, includeBigFile: false));
        Assert.Equal(Golden.Read("mixed.nar"), nar);
    }

    [NixStoreFact]
    public void MixedTreeWithBigFile_MatchesLiveNixStoreDump()
    {
        using var dir = new TempDirectory();
        string root = TestTrees.CreateMixed(dir.Path, includeBigFile: true);

        byte[] expected = NixStore.Dump(root);
        byte[] actual = Golden.DumpToArray(root);

        Assert.True(expected.Length > 1024 * 1024, "the tree should include the 1 MiB file");
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "NarWriter output differs from nix-store --dump");
    }

    [NixStoreFact]
    public void SingleSymlinkAndExecutableRoots_MatchLiveNixStoreDump()
    {
        using var dir = new TempDirectory();
        string link = dir.Combine("link");
        File.CreateSymbolicLink(link, "some/target");
        Assert.Equal(NixStore.Dump(link), Golden.DumpToArray(link));

        string exe = dir.Combine("exe");
        File.WriteAllText(exe, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        Assert.Equal(NixStore.Dump(exe), Golden.DumpToArray(exe));

        string empty = dir.Combine("empty-dir");
        Directory.CreateDirectory(empty);
        Assert.Equal(NixStore.Dump(empty), Golden.DumpToArray(empty));
    }

    [Fact]
    public void DumpContents_Executable()
    {
        using var output = new MemoryStream();
        NarWriter.DumpContents("data\n"u8, output, executable: true);
        NarEntry root = Assert.Single(NarReader.ReadEntries(new MemoryStream(output.ToArray())));
        Assert.True(root.IsExecutable);
        Assert.Equal(5, root.Size);
    }

    [Fact]
    public void Dump_OfAMissingPathThrows()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => NarWriter.Dump(dir.Combine("missing"), new MemoryStream()));
    }

    [Fact]
    public void Dump_SortsByUtf8BytesNotUtf16()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "\uFF21"), "1"); // EF BC A1
        File.WriteAllText(Path.Combine(root, "😀"), "2");     // F0 9F 98 80; UTF-16 D83D sorts before FF21

        string[] names = NarReader.ReadEntries(new MemoryStream(Golden.DumpToArray(root)))
            .Where(e => e.Path.Length > 0).Select(e => e.Path).ToArray();
        Assert.Equal(["\uFF21", "😀"], names);
        Assert.True(Encoding.UTF8.GetBytes(names[0]).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(names[1])) < 0);
    }
}
