using Vega.Lite.Core.Toml;
using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class KeyAndTableTests
{
    [Fact]
    public void EmptyDocumentsAndCommentsOnlyAreEmptyTables()
    {
        Assert.Empty(Parse(""));
        Assert.Empty(Parse("# just a comment\n\n   \t\n# another"));
        Assert.False(Parse("").IsInline);
    }

    [Fact]
    public void ReadsBareAndQuotedKeys()
    {
        var root = Parse("""
            bare_key = 1
            bare-key = 2
            1234 = 3
            "127.0.0.1" = 4
            "character encoding" = 5
            'key2' = 6
            'quoted "value"' = 7
            "ʎǝʞ" = 8
            "" = 9
            "\u0041" = 10
            """);
        Assert.Equal(["bare_key", "bare-key", "1234", "127.0.0.1", "character encoding", "key2", "quoted \"value\"", "ʎǝʞ", "", "A"], root.Keys);
        Assert.Equal(10, Assert.IsType<TomlInteger>(root["A"]).Value);
    }

    [Fact]
    public void DottedKeysCreateNestedTables()
    {
        var root = Parse("""
            name = "Orange"
            physical.color = "orange"
            physical.shape = "round"
            site."google.com" = true
            3.14159 = "pi"
            a . b . c = 1
            """);
        var physical = Assert.IsType<TomlTable>(root["physical"]);
        Assert.Equal(["color", "shape"], physical.Keys);
        Assert.Equal(2, physical.Line);
        Assert.False(physical.IsInline);
        Assert.True(Assert.IsType<TomlBoolean>(Assert.IsType<TomlTable>(root["site"])["google.com"]).Value);
        Assert.Equal("pi", Assert.IsType<TomlTable>(root["3"])["14159"].ToString());
        var c = Assert.IsType<TomlTable>(Assert.IsType<TomlTable>(root["a"])["b"])["c"];
        Assert.Equal(1, Assert.IsType<TomlInteger>(c).Value);
    }

    [Fact]
    public void HeadersCreateTablesAndImplicitSuperTables()
    {
        var root = Parse("""
            [dog."tater.man"]
            type.name = "pug"
            [ j . "ʞ" . 'l' ]
            [x.y.z.w]
            [x]
            k = 1
            """);
        var dog = Assert.IsType<TomlTable>(root["dog"]);
        var tater = Assert.IsType<TomlTable>(dog["tater.man"]);
        Assert.Equal("pug", Assert.IsType<TomlTable>(tater["type"])["name"].ToString());
        Assert.IsType<TomlTable>(Assert.IsType<TomlTable>(Assert.IsType<TomlTable>(root["j"])["ʞ"])["l"]);
        var x = Assert.IsType<TomlTable>(root["x"]);
        Assert.Equal(["y", "k"], x.Keys);
        Assert.Equal(5, x.Line); // defined by its own header after being implied on line 4
    }

    [Fact]
    public void TablesKeepDocumentOrder()
    {
        var root = Parse("z = 1\n[b]\n[a]\n[c]\ny = 2\nx = 3");
        Assert.Equal(["z", "b", "a", "c"], root.Keys);
        Assert.Equal(["y", "x"], Assert.IsType<TomlTable>(root["c"]).Keys);
        Assert.Equal(["z", "b", "a", "c"], root.Select(e => e.Key));
    }

    [Fact]
    public void HeadersMayAddSubTablesToDottedTables()
    {
        var root = Parse("""
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """);
        var apple = Assert.IsType<TomlTable>(Assert.IsType<TomlTable>(root["fruit"])["apple"]);
        Assert.Equal(["color", "taste", "texture"], apple.Keys);
        Assert.Equal(4, apple["texture"].Line);
    }

    [Fact]
    public void HeadersMayDescendThroughRootDottedTablesAndArrayElements()
    {
        var root = Parse("a.x = 1\n[a.b]\ny = 2\n[[arr]]\nd.e = 1\n[arr.d.f]\ng = 3");
        var a = Assert.IsType<TomlTable>(root["a"]);
        Assert.Equal(["x", "b"], a.Keys);
        var element = Assert.IsType<TomlTable>(Assert.IsType<TomlArray>(root["arr"])[0]);
        Assert.Equal(["e", "f"], Assert.IsType<TomlTable>(element["d"]).Keys);
    }

    [Fact]
    public void ArraysOfTablesAppendElements()
    {
        var root = Parse("""
            [[products]]
            name = "Hammer"
            sku = 738594937

            [[products]]  # empty table within the array

            [[products]]
            name = "Nail"
            color = "gray"
            """);
        var products = Assert.IsType<TomlArray>(root["products"]);
        Assert.True(products.IsArrayOfTables);
        Assert.Equal(3, products.Count);
        Assert.Equal("Hammer", Assert.IsType<TomlTable>(products[0])["name"].ToString());
        Assert.Empty(Assert.IsType<TomlTable>(products[1]));
        Assert.Equal(5, products[1].Line);
        Assert.Equal("gray", Assert.IsType<TomlTable>(products[2])["color"].ToString());
    }

    [Fact]
    public void NestedArraysOfTablesAttachToTheLastElement()
    {
        var root = Parse("""
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """);
        var fruits = Assert.IsType<TomlArray>(root["fruits"]);
        var apple = Assert.IsType<TomlTable>(fruits[0]);
        Assert.Equal("red", Assert.IsType<TomlTable>(apple["physical"])["color"].ToString());
        Assert.Equal(2, Assert.IsType<TomlArray>(apple["varieties"]).Count);
        var banana = Assert.IsType<TomlTable>(fruits[1]);
        Assert.Equal("plantain", Assert.IsType<TomlTable>(Assert.IsType<TomlArray>(banana["varieties"])[0])["name"].ToString());
    }

    [Fact]
    public void SuperTableMayBeDefinedAfterArrayOfTables()
    {
        var root = Parse("[[a.b]]\nx = 1\n[a]\ny = 2");
        var a = Assert.IsType<TomlTable>(root["a"]);
        Assert.Equal(["b", "y"], a.Keys);
    }

    [Fact]
    public void TryGetValueAndIndexer()
    {
        var root = Parse("a = 1");
        Assert.True(root.TryGetValue("a", out var a));
        Assert.Equal("integer", a.TypeName);
        Assert.False(root.TryGetValue("b", out _));
        Assert.True(root.ContainsKey("a"));
        Assert.Throws<KeyNotFoundException>(() => root["b"]);
    }

    [Fact]
    public void WhitespaceAndCommentsAroundStatementsAreIgnored()
    {
        var root = Parse("  \t key = 1 # c\n  [ t ]  # c\n\tk2=\"v\"#c");
        Assert.Equal(1, Assert.IsType<TomlInteger>(root["key"]).Value);
        Assert.Equal("v", Assert.IsType<TomlTable>(root["t"])["k2"].ToString());
    }
}
