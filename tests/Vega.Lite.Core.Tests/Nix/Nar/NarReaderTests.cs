using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Core.Tests.Nix.Nar;

public sealed class NarReaderTests
{
    [Fact]
    public void ProbeOut_EntriesAndNarOffsetsMatchTheNixListing()
    {
        // The .ls listing Nix 2.8 wrote for this NAR: file at narOffset 264, ref at 648.
        NarEntry[] entries = NarReader.ReadEntries(new MemoryStream(Golden.Read("probe-out.nar"))).ToArray();

        Assert.Equal(4, entries.Length);
        Assert.Equal(("", NarEntryType.Directory), (entries[0].Path, entries[0].Type));
        Assert.Equal(-1, entries[0].ContentsOffset);

        Assert.Equal(("file", NarEntryType.Regular, 5L, true, 264L), (entries[1].Path, entries[1].Type, entries[1].Size, entries[1].IsExecutable, entries[1].ContentsOffset));
        Assert.Null(entries[1].SymlinkTarget);

        Assert.Equal(("link", NarEntryType.Symlink, "file"), (entries[2].Path, entries[2].Type, entries[2].SymlinkTarget));
        Assert.Equal(-1, entries[2].ContentsOffset);

        Assert.Equal(("ref", NarEntryType.Regular, 52L, false, 648L), (entries[3].Path, entries[3].Type, entries[3].Size, entries[3].IsExecutable, entries[3].ContentsOffset));
    }

    [Fact]
    public void ContentsOffsets_PointAtTheFileContents()
    {
        using var dir = new TempDirectory();
        string root = TestTrees.CreateMixed(dir.Path, includeBigFile: true);
        byte[] nar = Golden.DumpToArray(root);

        int files = 0;
        foreach (NarEntry entry in NarReader.ReadEntries(new MemoryStream(nar)))
        {
            string path = Path.Combine(root, entry.Path);
            switch (entry.Type)
            {
                case NarEntryType.Regular:
                    byte[] contents = File.ReadAllBytes(path);
                    Assert.Equal(contents.Length, entry.Size);
                    Assert.True(nar.AsSpan((int)entry.ContentsOffset, contents.Length).SequenceEqual(contents), entry.Path);
                    files++;
                    break;
                case NarEntryType.Symlink:
                    Assert.Equal(new FileInfo(path).LinkTarget, entry.SymlinkTarget);
                    break;
                default:
                    Assert.True(Directory.Exists(path), entry.Path);
                    break;
            }
        }

        Assert.Equal(14, files);
    }

    [Fact]
    public void MixedTree_PathsAreNestedAndInNarOrder()
    {
        string[] paths = NarReader.ReadEntries(new MemoryStream(Golden.Read("mixed.nar"))).Select(e => e.Path).ToArray();
        Assert.Equal(
            [
                "", ".hidden", "B-upper", "a-lower", "abs-link", "bin", "bin/group-exec-only", "bin/owner-exec-only", "bin/tool",
                "dangling", "dir-link", "empty-dir", "empty-file", "nested", "nested/a", "nested/a/b", "nested/a/b/c",
                "nested/a/b/c/deep.txt", "nested/a/sibling", new string('n', 200), "ünïcödé-名前.txt", "\uFF21-fullwidth", "😀-emoji",
            ],
            paths);
    }

    [Fact]
    public void SeekableAndNonSeekableStreams_GiveTheSameEntries()
    {
        using var dir = new TempDirectory();
        byte[] nar = Golden.DumpToArray(TestTrees.CreateMixed(dir.Path, includeBigFile: true));

        string[] seekable = NarReader.ReadEntries(new MemoryStream(nar)).Select(e => e.ToString()).ToArray();
        string[] forwardOnly = NarReader.ReadEntries(new ForwardOnlyStream(nar)).Select(e => e.ToString()).ToArray();
        Assert.Equal(seekable, forwardOnly);

        NarReader.Validate(new MemoryStream(nar));
        NarReader.Validate(new ForwardOnlyStream(nar));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsTheNarSize()
    {
        byte[] nar = Golden.Read("probe-out.nar");
        Assert.Equal(752, await NarReader.ValidateAsync(new ForwardOnlyStream(nar)));
        await Assert.ThrowsAsync<InvalidDataException>(() => NarReader.ValidateAsync(new MemoryStream(nar[..700])));
    }

    [Fact]
    public void TruncatedInsideBigContents_IsDetectedWhenSeeking()
    {
        using var dir = new TempDirectory();
        byte[] nar = Golden.DumpToArray(TestTrees.CreateMixed(dir.Path, includeBigFile: true));
        NarEntry big = NarReader.ReadEntries(new MemoryStream(nar)).Single(e => e.Path == "big.bin");
        byte[] truncated = nar[..(int)(big.ContentsOffset + 100_000)];

        var e = Assert.Throws<InvalidDataException>(() => NarReader.Validate(new MemoryStream(truncated)));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("big.bin", e.Message);
        Assert.Throws<InvalidDataException>(() => NarReader.ReadEntries(new MemoryStream(truncated)).ToArray());
    }

    [Fact]
    public void ReadEntries_IsLazyAndThrowsOnEnumeration()
    {
        IEnumerable<NarEntry> entries = NarReader.ReadEntries(new MemoryStream([1, 2, 3]));
        Assert.Throws<InvalidDataException>(() => entries.ToArray());
        Assert.Throws<ArgumentNullException>(() => NarReader.ReadEntries(null!));
    }

    /// <summary>A stream that cannot seek and returns few bytes per read.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 1000), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
