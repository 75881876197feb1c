using Vega.Lite.Core.Nix.Nar;

namespace Vega.Lite.Core.Tests.Nix.Nar;

public sealed class NarValidatorTests
{
    public static TheoryData<string> GoldenNames => new() { "hello-world.nar", "probe-out.nar", "mixed.nar" };

    private static List<string> FeedInSlices(byte[] nar, Func<int, int> nextSliceLength)
    {
        var entries = new List<string>();
        var validator = new NarValidator(e => entries.Add(e.ToString()));
        int pos = 0;
        while (pos < nar.Length)
        {
            int n = Math.Min(nextSliceLength(nar.Length - pos), nar.Length - pos);
            validator.Feed(nar.AsSpan(pos, n));
            pos += n;
            Assert.Equal(pos, validator.Position);
        }

        Assert.True(validator.IsComplete);
        validator.Complete();
        return entries;
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Golden_ValidatesInOneByteSlices(string name)
    {
        byte[] nar = Golden.Read(name);
        List<string> whole = FeedInSlices(nar, left => left);
        List<string> bytewise = FeedInSlices(nar, _ => 1);
        Assert.Equal(whole, bytewise);
        Assert.Equal(NarReader.ReadEntries(new MemoryStream(nar)).Select(e => e.ToString()), whole);
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Golden_ValidatesInRandomSlices(string name)
    {
        byte[] nar = Golden.Read(name);
        List<string> expected = FeedInSlices(nar, left => left);
        for (int seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            Assert.Equal(expected, FeedInSlices(nar, _ => random.Next(0, 40)));
        }
    }

    [Fact]
    public void BigNar_ValidatesInRandomSlicesWithoutBuffering()
    {
        using var dir = new TempDirectory();
        byte[] nar = Golden.DumpToArray(TestTrees.CreateMixed(dir.Path, includeBigFile: true));
        var random = new Random(99);
        List<string> entries = FeedInSlices(nar, _ => random.Next(1, 70_000));
        Assert.Contains(entries, e => e.StartsWith("regular 'big.bin' (1048579 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptySlices_AreAccepted()
    {
        var validator = new NarValidator();
        validator.Feed([]);
        validator.Feed(Golden.Read("hello-world.nar"));
        validator.Feed([]);
        validator.Complete();
        Assert.Equal(128, validator.Position);
    }

    [Fact]
    public void EveryTruncation_IsRejectedOnComplete()
    {
        byte[] nar = Golden.Read("probe-out.nar");
        for (int length = 0; length < nar.Length; length++)
        {
            var validator = new NarValidator();
            validator.Feed(nar.AsSpan(0, length));
            Assert.False(validator.IsComplete);
            var e = Assert.Throws<InvalidDataException>(validator.Complete);
            Assert.Contains("the NAR is truncated", e.Message);
        }
    }

    [Fact]
    public void TrailingBytes_AreRejected()
    {
        byte[] nar = [.. Golden.Read("probe-out.nar"), 0];
        var validator = new NarValidator();
        var e = Assert.Throws<InvalidDataException>(() => validator.Feed(nar));
        Assert.Equal("Invalid NAR at byte offset 752: unexpected data after the end of the NAR.", e.Message);
    }

    [Fact]
    public void AfterAnError_EveryCallThrowsTheSameError()
    {
        var validator = new NarValidator();
        var first = Assert.Throws<InvalidDataException>(() => validator.Feed(NarBytes.Tokens("not-a-nar")));
        Assert.Equal(first.Message, Assert.Throws<InvalidDataException>(() => validator.Feed(Golden.Read("hello-world.nar"))).Message);
        Assert.Equal(first.Message, Assert.Throws<InvalidDataException>(validator.Complete).Message);
        Assert.False(validator.IsComplete);
    }

    [Fact]
    public void AfterComplete_FeedIsAnError()
    {
        var validator = new NarValidator();
        validator.Feed(Golden.Read("hello-world.nar"));
        validator.Complete();
        Assert.Throws<InvalidOperationException>(() => validator.Feed([0]));
        Assert.Throws<InvalidOperationException>(validator.Complete);
    }

    [Theory]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(70)]
    [InlineData(1000)]
    [InlineData(5_000)]
    public void Nesting_of_any_depth_is_accepted_as_Nix_dumps_it(int depth) =>
        Assert.Null(Record.Exception(() => Validate(Nested(depth))));

    [Fact]
    public void The_path_length_is_bounded_and_configurable()
    {
        // Root directory > "a" directory > "b" file: the deepest path is "a/b", 3 bytes.
        byte[] nar = NarBytes.Directory(NarBytes.Entry("a", ["(", "type", "directory", .. NarBytes.Entry("b", NarBytes.Regular("x")), ")"]));
        Assert.Equal(NarValidator.DefaultMaxPathLength, new NarValidator().MaxPathLength);
        var longName = new string('n', 255);
        byte[] wide = NarBytes.Directory(NarBytes.Entry(longName, ["(", "type", "directory", .. NarBytes.Entry(longName, NarBytes.Regular("x")), ")"]));
        new NarValidator(null, maxPathLength: 511).Feed(wide);
        var e = Assert.Throws<InvalidDataException>(() => new NarValidator(null, maxPathLength: 510).Feed(wide));
        Assert.Contains("is longer than 510 bytes", e.Message);
        new NarValidator(null, maxPathLength: 255).Feed(nar);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NarValidator(null, maxPathLength: 254));
    }

    private static void Validate(byte[] nar)
    {
        var validator = new NarValidator();
        validator.Feed(nar);
        validator.Complete();
    }

    // A chain of directories with a file at node depth `fileDepth`.
    private static byte[] Nested(int fileDepth)
    {
        object[] node = NarBytes.Regular("leaf");
        for (int i = 0; i < fileDepth; i++)
        {
            node = ["(", "type", "directory", .. NarBytes.Entry("d", node), ")"];
        }

        return NarBytes.Tokens(["nix-archive-1", .. node]);
    }
}
