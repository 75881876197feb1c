using Vega.Lite.Core.Toml;
using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class StringTests
{
    [Theory]
    [InlineData("\"\"", "")]
    [InlineData("\"plain text\"", "plain text")]
    [InlineData("\"tab\tinside\"", "tab\tinside")]
    [InlineData("\"# not a comment\"", "# not a comment")]
    [InlineData("\"ünïcödé ✓\"", "ünïcödé ✓")]
    public void ReadsBasicStrings(string literal, string expected) => Assert.Equal(expected, String(literal));

    [Theory]
    [InlineData(@"""\b""", "\b")]
    [InlineData(@"""\t""", "\t")]
    [InlineData(@"""\n""", "\n")]
    [InlineData(@"""\f""", "\f")]
    [InlineData(@"""\r""", "\r")]
    [InlineData(@"""\""""", "\"")]
    [InlineData(@"""\\""", "\\")]
    [InlineData(@"""\u00E9""", "é")]
    [InlineData(@"""\u00e9""", "é")]
    [InlineData(@"""\U0001F600""", "\U0001F600")]
    [InlineData(@"""C:\\Users\\attic""", @"C:\Users\attic")]
    [InlineData(@"""a\tb\nc""", "a\tb\nc")]
    public void ResolvesAllEscapes(string literal, string expected) => Assert.Equal(expected, String(literal));

    [Theory]
    [InlineData(@"'C:\Users\nodejs\templates'", @"C:\Users\nodejs\templates")]
    [InlineData(@"'<\i\c*\s*>'", @"<\i\c*\s*>")]
    [InlineData("''", "")]
    [InlineData("'Tom \"Dubs\" Preston'", "Tom \"Dubs\" Preston")]
    public void ReadsLiteralStringsVerbatim(string literal, string expected) => Assert.Equal(expected, String(literal));

    [Fact]
    public void MultiLineBasicStringTrimsFirstNewline()
    {
        Assert.Equal("Roses are red\nViolets are blue", String("\"\"\"\nRoses are red\nViolets are blue\"\"\""));
    }

    [Fact]
    public void MultiLineBasicStringNormalisesCrlf()
    {
        Assert.Equal("one\ntwo\n", String("\"\"\"\r\none\r\ntwo\r\n\"\"\""));
    }

    [Fact]
    public void MultiLineBasicStringTrimsLineEndingBackslash()
    {
        var text = "v = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\   \n    the lazy dog.\\\n    \"\"\"";
        Assert.Equal("The quick brown fox jumps over the lazy dog.", Parse(text)["v"].ToString());
    }

    [Fact]
    public void EscapedBackslashAtLineEndIsNotALineContinuation()
    {
        Assert.Equal("a\\\nb", Parse("v = \"\"\"a\\\\\nb\"\"\"")["v"].ToString());
    }

    [Fact]
    public void LineEndingBackslashWorksWithCrlfAndBeforeTheDelimiter()
    {
        Assert.Equal("one two", Parse("v = \"\"\"one \\\r\n   two\\\r\n\"\"\"")["v"].ToString());
    }

    [Fact]
    public void MultiLineBasicStringKeepsEscapesAndQuotes()
    {
        Assert.Equal("a \"quoted\" \\ \u00E9 \"\"", String("\"\"\"a \"quoted\" \\\\ \\u00E9 \"\"\"\"\""));
    }

    [Theory]
    [InlineData("\"\"\"\"\"\"", "")]
    [InlineData("\"\"\"x\"\"\"\"", "x\"")]
    [InlineData("\"\"\"x\"\"\"\"\"", "x\"\"")]
    [InlineData("'''x'''''", "x''")]
    [InlineData("'''a '' b'''", "a '' b")]
    public void MultiLineStringsAllowUpToTwoQuotesBeforeTheDelimiter(string literal, string expected) =>
        Assert.Equal(expected, String(literal));

    [Fact]
    public void MultiLineLiteralStringIsVerbatim()
    {
        var text = "v = '''\nThe first newline is\ntrimmed in raw strings. \\n \\\n   All other whitespace\n   is preserved.\n'''";
        Assert.Equal("The first newline is\ntrimmed in raw strings. \\n \\\n   All other whitespace\n   is preserved.\n", Parse(text)["v"].ToString());
    }

    [Fact]
    public void StringLineIsWhereTheStringStarts()
    {
        var root = Parse("a = 1\nb = \"\"\"\nx\ny\n\"\"\"\nc = 2");
        Assert.Equal(2, root["b"].Line);
        Assert.Equal(6, root["c"].Line);
    }

    [Theory]
    [InlineData("v = \"\\x41\"", 1, 6, "invalid escape sequence \\x")]
    [InlineData("v = \"\\e\"", 1, 6, "invalid escape sequence \\e")]
    [InlineData("v = \"a\\ b\"", 1, 7, "invalid escape sequence \\ ")]
    [InlineData("v = \"\\u12\"", 1, 6, "\\u must be followed by 4 hexadecimal digits")]
    [InlineData("v = \"\\uD800\"", 1, 6, "not a Unicode scalar value")]
    [InlineData("v = \"\\U00110000\"", 1, 6, "not a Unicode scalar value")]
    [InlineData("a = 1\nv = \"\"\"\nok\n\\q\"\"\"", 4, 1, "invalid escape sequence \\q")]
    public void RejectsInvalidEscapes(string text, int line, int column, string reason) => Error(text, line, reason, column);

    [Theory]
    [InlineData("v = \"no end", 1, 5, "unterminated string")]
    [InlineData("v = \"line\nbreak\"", 1, 10, "cannot contain a newline")]
    [InlineData("v = 'line\nbreak'", 1, 10, "cannot contain a newline")]
    [InlineData("a = 1\n\nv = \"\"\"\nnever closed\n", 3, 5, "unterminated multi-line string")]
    [InlineData("v = '''\nnever closed", 1, 5, "unterminated multi-line string")]
    [InlineData("v = \"\"\"x\"\"\"\"\"\"", 1, 9, "too many quotes")]
    public void RejectsUnterminatedStrings(string text, int line, int column, string reason) => Error(text, line, reason, column);

    [Theory]
    [InlineData("v = \"a\u0000b\"", 7, "U+0000")]
    [InlineData("v = \"a\u001Fb\"", 7, "U+001F")]
    [InlineData("v = \"a\u007Fb\"", 7, "U+007F")]
    [InlineData("v = 'a\u0008b'", 7, "U+0008")]
    [InlineData("v = '''a\u0001b'''", 9, "U+0001")]
    [InlineData("v = \"\"\"a\rb\"\"\"", 9, "carriage return")]
    public void RejectsControlCharactersInStrings(string text, int column, string reason) => Error(text, 1, reason, column);
}
