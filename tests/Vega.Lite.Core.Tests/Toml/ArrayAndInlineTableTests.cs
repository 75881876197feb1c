using Vega.Lite.Core.Toml;
using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class ArrayAndInlineTableTests
{
    [Fact]
    public void ReadsSimpleAndEmptyArrays()
    {
        var ints = Value<TomlArray>("[ 1, 2, 3 ]");
        Assert.Equal([1L, 2L, 3L], ints.Items.Select(i => Assert.IsType<TomlInteger>(i).Value));
        Assert.Equal(3, ints.Count);
        Assert.Empty(Value<TomlArray>("[]").Items);
        Assert.Empty(Value<TomlArray>("[ \n ]").Items);
    }

    [Fact]
    public void ArraysMayMixTypesAndNest()
    {
        var array = Value<TomlArray>("[ 0.1, \"two\", 3, [ 'a', [] ], { x = 1 }, true ]");
        Assert.IsType<TomlFloat>(array[0]);
        Assert.Equal("two", Assert.IsType<TomlString>(array[1]).Value);
        Assert.IsType<TomlInteger>(array[2]);
        var nested = Assert.IsType<TomlArray>(array[3]);
        Assert.Equal("a", nested[0].ToString());
        Assert.Empty(Assert.IsType<TomlArray>(nested[1]).Items);
        Assert.Equal(1, Assert.IsType<TomlInteger>(Assert.IsType<TomlTable>(array[4])["x"]).Value);
        Assert.True(Assert.IsType<TomlBoolean>(array[5]).Value);
    }

    [Fact]
    public void MultiLineArraysAllowCommentsAndTrailingComma()
    {
        var root = Parse("""
            hosts = [ # leading comment
              "alpha",   # first
              # a whole-line comment
              "omega",
            ]
            after = 1
            """);
        var hosts = Assert.IsType<TomlArray>(root["hosts"]);
        Assert.Equal(["alpha", "omega"], hosts.Items.Select(i => i.ToString()));
        Assert.Equal(1, hosts.Line);
        Assert.Equal(2, hosts[0].Line);
        Assert.Equal(4, hosts[1].Line);
        Assert.Equal(6, root["after"].Line);
    }

    [Fact]
    public void ReadsInlineTablesInOrder()
    {
        var root = Parse("name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = {x=1,y=2}\nempty = {}");
        var name = Assert.IsType<TomlTable>(root["name"]);
        Assert.True(name.IsInline);
        Assert.Equal(["first", "last"], name.Keys);
        Assert.Equal("Preston-Werner", name["last"].ToString());
        Assert.Equal(2, Assert.IsType<TomlTable>(root["point"]).Count);
        Assert.Empty(Assert.IsType<TomlTable>(root["empty"]));
        Assert.Equal(3, root["empty"].Line);
    }

    [Fact]
    public void InlineTablesAcceptDottedKeysAndNesting()
    {
        var animal = Value<TomlTable>("{ type.name = \"pug\", type.size = 'small', tags = [\"a\"], inner = { deep = true } }");
        var type = Assert.IsType<TomlTable>(animal["type"]);
        Assert.True(type.IsInline);
        Assert.Equal(["name", "size"], type.Keys);
        Assert.True(Assert.IsType<TomlBoolean>(Assert.IsType<TomlTable>(animal["inner"])["deep"]).Value);
    }

    [Fact]
    public void InlineTableValuesMaySpanLinesInsideArrays()
    {
        var table = Value<TomlTable>("{ list = [\n 1,\n 2\n], s = \"\"\"\nx\"\"\" }");
        Assert.Equal(2, Assert.IsType<TomlArray>(table["list"]).Count);
        Assert.Equal("x", table["s"].ToString());
    }

    [Theory]
    [InlineData("v = [1, 2", 1, 5, "unterminated array")]
    [InlineData("v = [1,\n2,\n", 1, 5, "unterminated array")]
    [InlineData("v = [1 2]", 1, 8, "expected ',' or ']'")]
    [InlineData("v = [,]", 1, 6, "expected a value, found ','")]
    [InlineData("v = [1,,2]", 1, 8, "expected a value, found ','")]
    [InlineData("v = [1, @]", 1, 9, "expected a value, found '@'")]
    public void RejectsMalformedArrays(string text, int line, int column, string reason) => Error(text, line, reason, column);

    [Theory]
    [InlineData("v = { a = 1, }", 1, 14, "trailing comma")]
    [InlineData("v = { a = 1,\n b = 2 }", 1, 13, "single line")]
    [InlineData("v = {\n}", 1, 6, "single line")]
    [InlineData("v = { a = 1", 1, 5, "unterminated inline table")]
    [InlineData("v = { a = 1 b = 2 }", 1, 13, "expected ',' or '}'")]
    [InlineData("v = { a = 1, a = 2 }", 1, 14, "duplicate key \"a\"")]
    [InlineData("v = { a = {}, a.b = 1 }", 1, 15, "cannot add keys to inline table \"a\"")]
    [InlineData("v = { a.b = 1, a = 2 }", 1, 16, "duplicate key \"a\"")]
    [InlineData("v = { a 1 }", 1, 9, "expected '=' after key \"a\"")]
    public void RejectsMalformedInlineTables(string text, int line, int column, string reason) => Error(text, line, reason, column);

    [Fact]
    public void InlineTablesCannotBeExtendedLater()
    {
        Error("a = { b = 1 }\n[a]\nc = 2", 2, "already defined as an inline table at line 1", 2);
        Error("a = { b = 1 }\n[a.c]", 2, "cannot add tables to inline table \"a\"", 2);
        Error("a = { b = 1 }\na.c = 2", 2, "cannot add keys to inline table \"a\"", 1);
        Error("a = { b = { c = 1 } }\n[a.b.d]", 2, "cannot add tables to inline table \"a\"", 2);
        Error("a = { b.c = 1 }\na.b.d = 2", 2, "cannot add keys to inline table \"a\"", 1);
        Error("[t]\na = {}\n[[t.a]]", 3, "conflicts with table \"t.a\" defined at line 2", 5);
    }

    [Fact]
    public void RejectsExcessiveNesting()
    {
        var deep = new string('[', 200) + new string(']', 200);
        Error("v = " + deep, 1, "nested more than 128 levels");
        var ok = new string('[', 100) + new string(']', 100);
        Assert.IsType<TomlArray>(Value(ok));
    }
}
