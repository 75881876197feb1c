using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class SyntaxErrorTests
{
    [Theory]
    [InlineData("key = # no value", 1, 7)]
    [InlineData("a = 1\nkey =", 2, 6)]
    [InlineData("a = 1\nkey =\nb = 2", 2, 6)]
    public void MissingValue(string text, int line, int column) => Error(text, line, "missing value", column);

    [Theory]
    [InlineData("first = \"Tom\" last = \"Preston-Werner\"", 1, 15)]
    [InlineData("a = 1\nb = 2 3", 2, 7)]
    [InlineData("a = \"x\"y", 1, 8)]
    [InlineData("a = [1] 2", 1, 9)]
    [InlineData("a = {} x", 1, 8)]
    [InlineData("a = true false", 1, 10)]
    public void GarbageAfterValue(string text, int line, int column) => Error(text, line, "expected a newline or end of file after the value", column);

    [Theory]
    [InlineData("[a] b = 1", 1, 5)]
    [InlineData("[[a]] x", 1, 7)]
    public void GarbageAfterHeader(string text, int line, int column) => Error(text, line, "after the table header", column);

    [Theory]
    [InlineData("key", 1, 4, "expected '=' after key \"key\", found end of file")]
    [InlineData("key value", 1, 5, "expected '=' after key \"key\", found 'v'")]
    [InlineData("= 1", 1, 1, "expected a key, found '='")]
    [InlineData("a.= 1", 1, 3, "expected a key, found '='")]
    [InlineData("a..b = 1", 1, 3, "expected a key, found '.'")]
    [InlineData("a b = 1", 1, 3, "expected '=' after key \"a\"")]
    [InlineData("\"\"\"key\"\"\" = 1", 1, 1, "multi-line string cannot be used as a key")]
    [InlineData("k\u00E9y = 1", 1, 2, "expected '=' after key \"k\", found 'é'")]
    public void MalformedKeys(string text, int line, int column, string reason) => Error(text, line, reason, column);

    [Theory]
    [InlineData("[]", 1, 2, "expected a key, found ']'")]
    [InlineData("[a", 1, 3, "expected ']' to close the table header, found end of file")]
    [InlineData("[a\nb = 1", 1, 3, "expected ']' to close the table header, found newline")]
    [InlineData("[[a]", 1, 4, "expected ']]' to close the table header")]
    [InlineData("[[a] ]", 1, 4, "expected ']]' to close the table header")]
    [InlineData("[a.]", 1, 4, "expected a key, found ']'")]
    public void MalformedHeaders(string text, int line, int column, string reason) => Error(text, line, reason, column);

    [Fact]
    public void ControlCharacterInComment() => Error("a = 1 # bell \u0007 here", 1, "control character U+0007 is not allowed in a comment", 14);

    [Fact]
    public void BareCarriageReturn() => Error("a = 1\rb = 2", 1, "found carriage return", 6);

    [Fact]
    public void ErrorsPointAtTheRightLineWithCrlf() => Error("a = 1\r\n\r\nb = 2\r\nb = 3\r\n", 4, "duplicate key \"b\"", 1);

    [Fact]
    public void ByteOrderMarkDoesNotShiftColumns() => Error("\uFEFFa = ", 1, "missing value", 5);

    [Fact]
    public void ByteOrderMarkOnlyAtStart() => Error("a = 1\n\uFEFFb = 2", 2, "expected a key", 1);

    [Fact]
    public void ExceptionMessageHasSourceLineAndColumn()
    {
        var ex = Assert.Throws<Vega.Lite.Core.Toml.TomlException>(() => Vega.Lite.Core.Toml.TomlParser.Parse("a = 1\n\n  b = @", "conf/server.toml"));
        Assert.Equal("conf/server.toml:3:7: expected a value, found '@'", ex.Message);
        Assert.Equal(3, ex.Line);
        Assert.Equal(7, ex.Column);
        Assert.Equal("conf/server.toml", ex.SourceName);
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => Vega.Lite.Core.Toml.TomlParser.Parse(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => Vega.Lite.Core.Toml.TomlParser.Parse("", null!));
    }
}
