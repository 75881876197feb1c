using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Core.Tests.Nix.Nar;

public sealed class NarCorruptionTests
{
    private static readonly byte[] ProbeOut = Golden.Read("probe-out.nar");

    private static string Reject(byte[] nar)
    {
        // Whole, byte by byte, and through the stream reader: the same error each time.
        var whole = new NarValidator();
        var e1 = Assert.Throws<InvalidDataException>(() =>
        {
            whole.Feed(nar);
            whole.Complete();
        });

        var bytewise = new NarValidator();
        var e2 = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (byte b in nar)
            {
                bytewise.Feed([b]);
            }

            bytewise.Complete();
        });

        var e3 = Assert.Throws<InvalidDataException>(() => NarReader.Validate(new MemoryStream(nar)));
        Assert.Equal(e1.Message, e2.Message);
        Assert.Equal(e1.Message, e3.Message);
        return e1.Message;
    }

    private static byte[] Patch(byte[] nar, int offset, params byte[] bytes)
    {
        byte[] copy = (byte[])nar.Clone();
        bytes.CopyTo(copy, offset);
        return copy;
    }

    [Fact]
    public void BadMagic()
    {
        Assert.Equal("Invalid NAR at byte offset 0: input doesn't look like a Nix archive (bad magic).", Reject(Patch(ProbeOut, 8, (byte)'N')));
        Assert.Contains("bad magic", Reject(NarBytes.Tokens(["nix-archive-2", .. NarBytes.Regular("")])));
        Assert.Contains("bad magic", Reject(NarBytes.Tokens("nix-archive-1-and-more")));
        Assert.Contains("bad magic", Reject([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    }

    [Fact]
    public void EmptyInput_IsTruncated()
    {
        Assert.Equal(
            "Invalid NAR at byte offset 0: the NAR is truncated: input ended while expecting the magic 'nix-archive-1'.",
            Reject([]));
    }

    [Fact]
    public void NonZeroPadding_InATag()
    {
        // The magic "nix-archive-1" (13 bytes) is followed by 3 padding bytes at offsets 21..23.
        Assert.Equal("Invalid NAR at byte offset 22: non-zero padding byte 0x20.", Reject(Patch(ProbeOut, 22, 0x20)));
    }

    [Fact]
    public void NonZeroPadding_AfterFileContents()
    {
        // "data\n" starts at 264; its 3 padding bytes are at 269..271.
        Assert.Equal("Invalid NAR at byte offset 271: non-zero padding byte 0x01.", Reject(Patch(ProbeOut, 271, 1)));
    }

    [Fact]
    public void UnsortedEntries()
    {
        byte[] nar = NarBytes.Directory(NarBytes.Entry("b", NarBytes.Regular("")), NarBytes.Entry("a", NarBytes.Regular("")));
        Assert.Contains("directory entries are not sorted: 'a' follows 'b'", Reject(nar));
    }

    [Fact]
    public void UnsortedEntries_ByteOrderNotCase()
    {
        // 'B' (0x42) sorts before 'a' (0x61).
        byte[] ok = NarBytes.Directory(NarBytes.Entry("B", NarBytes.Regular("")), NarBytes.Entry("a", NarBytes.Regular("")));
        NarReader.Validate(new MemoryStream(ok));
        byte[] bad = NarBytes.Directory(NarBytes.Entry("a", NarBytes.Regular("")), NarBytes.Entry("B", NarBytes.Regular("")));
        Assert.Contains("not sorted", Reject(bad));
    }

    [Fact]
    public void UnsortedEntries_InANestedDirectoryAfterReturning()
    {
        object[] sub = ["(", "type", "directory", .. NarBytes.Entry("z", NarBytes.Regular("")), ")"];
        byte[] nar = NarBytes.Directory(NarBytes.Entry("m", sub), NarBytes.Entry("c", NarBytes.Regular("")));
        Assert.Contains("'c' follows 'm'", Reject(nar));
    }

    [Fact]
    public void DuplicateEntries()
    {
        byte[] nar = NarBytes.Directory(NarBytes.Entry("same", NarBytes.Regular("1")), NarBytes.Entry("same", NarBytes.Regular("2")));
        Assert.Contains("duplicate directory entry 'same'", Reject(nar));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("/")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void InvalidNames(string name)
    {
        byte[] nar = NarBytes.Directory(NarBytes.Entry(name, NarBytes.Regular("")));
        Assert.Contains("invalid file name", Reject(nar));
    }

    [Fact]
    public void TooLongName()
    {
        byte[] ok = NarBytes.Directory(NarBytes.Entry(new string('x', 255), NarBytes.Regular("")));
        NarReader.Validate(new MemoryStream(ok));
        byte[] nar = NarBytes.Directory(NarBytes.Entry(new string('x', 256), NarBytes.Regular("")));
        Assert.Contains("entry name of 256 bytes exceeds the maximum of 255", Reject(nar));
    }

    [Fact]
    public void UnknownType()
    {
        Assert.Contains("unknown file type 'fifo'", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "fifo", ")")));
    }

    [Fact]
    public void UnknownTags()
    {
        Assert.Contains("expected tag 'type', got 'kind'", Reject(NarBytes.Tokens("nix-archive-1", "(", "kind", "regular")));
        Assert.Contains("expected tag '(', got '['", Reject(NarBytes.Tokens("nix-archive-1", "[")));
        Assert.Contains("expected tag 'executable' or 'contents', got 'size'", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "regular", "size")));
        Assert.Contains("expected tag 'entry' or ')', got 'entries'", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "directory", "entries")));
        Assert.Contains("expected tag 'target', got 'to'", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "symlink", "to", "x", ")")));
        Assert.Contains("expected tag 'name', got 'node'", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "directory", "entry", "(", "node")));
        Assert.Contains("expected tag ')', got 'extra'", Reject(NarBytes.Tokens(["nix-archive-1", .. NarBytes.Regular("x")[..^1], "extra"])));
    }

    [Fact]
    public void ContentsBeforeExecutable_IsNotCanonical()
    {
        byte[] nar = NarBytes.Tokens("nix-archive-1", "(", "type", "regular", "contents", "x", "executable", "", ")");
        Assert.Contains("expected tag ')', got 'executable'", Reject(nar));
    }

    [Fact]
    public void ExecutableMarkerWithValue()
    {
        byte[] nar = NarBytes.Tokens("nix-archive-1", "(", "type", "regular", "executable", "yes", "contents", "", ")");
        Assert.Contains("the executable marker has a non-empty value", Reject(nar));
    }

    [Fact]
    public void OverlongTag()
    {
        Assert.Contains("expected tag '(', got a string of 33 bytes", Reject(NarBytes.Tokens("nix-archive-1", new string('(', 33))));
        Assert.Contains("got a string of 18446744073709551615 bytes", Reject(NarBytes.Tokens("nix-archive-1", ulong.MaxValue)));
    }

    [Fact]
    public void HugeFileSize()
    {
        byte[] nar = NarBytes.Tokens("nix-archive-1", "(", "type", "regular", "contents", ulong.MaxValue);
        Assert.Contains("file size 18446744073709551615 is too large", Reject(nar));
    }

    [Fact]
    public void SymlinkTargets()
    {
        Assert.Contains("has an empty target", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "symlink", "target", "", ")")));
        Assert.Contains("target containing NUL", Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "symlink", "target", "a\0b", ")")));
        Assert.Contains("symlink target of 4096 bytes exceeds the maximum of 4095",
            Reject(NarBytes.Tokens("nix-archive-1", "(", "type", "symlink", "target", new string('t', 4096), ")")));
        NarReader.Validate(new MemoryStream(NarBytes.Tokens("nix-archive-1", "(", "type", "symlink", "target", new string('t', 4095), ")")));
    }

    [Fact]
    public void TruncatedContents_NamesTheFile()
    {
        byte[] nar = ProbeOut[..266];
        Assert.Equal(
            "Invalid NAR at byte offset 266: the NAR is truncated: input ended while expecting file contents of 'file' (3 bytes missing).",
            Reject(nar));
    }

    [Fact]
    public void TrailingData_AfterRoot()
    {
        Assert.Contains("unexpected data after the end of the NAR", Reject([.. ProbeOut, .. NarBytes.Tokens(")")]));
    }

    [Fact]
    public void SecondRootNode()
    {
        byte[] nar = NarBytes.Tokens(["nix-archive-1", .. NarBytes.Regular("a"), .. NarBytes.Regular("b")]);
        Assert.Equal("Invalid NAR at byte offset 120: unexpected data after the end of the NAR.", Reject(nar));
    }

    [Fact]
    public void RandomByteFlips_NeverCrash()
    {
        // Flipping any single byte must either still validate or fail with InvalidDataException, never anything else.
        byte[] nar = Golden.Read("mixed.nar");
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            byte[] copy = (byte[])nar.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            var validator = new NarValidator(_ => { });
            try
            {
                validator.Feed(copy);
                validator.Complete();
            }
            catch (InvalidDataException)
            {
            }
        }
    }
}
