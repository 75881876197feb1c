using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

/// <summary>Keys and tables may be defined only once; these are the ways to break that rule.</summary>
public sealed class DefinitionErrorTests
{
    [Fact]
    public void DuplicateKey() =>
        Error("name = \"Tom\"\nname = \"Pradyun\"", 2, "duplicate key \"name\" (first defined at line 1)", 1);

    [Fact]
    public void DuplicateKeyBareVersusQuoted() =>
        Error("spelling = \"favorite\"\n\"spelling\" = \"favourite\"", 2, "duplicate key \"spelling\"", 1);

    [Fact]
    public void DuplicateKeyInsideTable() =>
        Error("[server]\nport = 1\nhost = \"x\"\nport = 2", 4, "duplicate key \"server.port\" (first defined at line 2)", 1);

    [Fact]
    public void DottedKeyOverwritingValue() =>
        Error("fruit.apple = 1\nfruit.apple.smooth = true", 2, "key \"fruit.apple\" is already defined as an integer at line 1", 7);

    [Fact]
    public void ValueOverwritingDottedTable() =>
        Error("a.b = 1\na = 2", 2, "duplicate key \"a\"", 1);

    [Fact]
    public void TableDefinedTwice() =>
        Error("[fruit]\napple = \"red\"\n\n[fruit]\norange = \"orange\"", 4, "table [fruit] is already defined at line 1", 2);

    [Fact]
    public void TableDefinedTwiceAfterSubTable() =>
        Error("[a]\n[a.b]\n[a]", 3, "table [a] is already defined at line 1", 2);

    [Fact]
    public void ImplicitTableDefinedTwice() =>
        Error("[a.b]\n[a]\n[a]", 3, "table [a] is already defined at line 2", 2);

    [Fact]
    public void TableOverwritingValue() =>
        Error("[fruit]\napple = \"red\"\n\n[fruit.apple]\ntexture = \"smooth\"", 4, "key \"fruit.apple\" is already defined as a string at line 2", 8);

    [Fact]
    public void HeaderRedefiningDottedTable() =>
        Error("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, "table [fruit.apple] was already created by a dotted key at line 2", 8);

    [Fact]
    public void HeaderRedefiningNestedDottedTable() =>
        Error("[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]", 3, "already created by a dotted key", 14);

    [Fact]
    public void DottedKeyExtendingHeaderTable() =>
        Error("[a.b.c]\nz = 9\n[a]\nb.c.t = 9", 4, "cannot add keys to table \"a.b\" with a dotted key", 1);

    [Fact]
    public void DottedKeyExtendingDeeperHeaderTable() =>
        Error("[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 8", 4, "cannot add keys to table \"a.b\"", 1);

    [Fact]
    public void TableDefinedTwiceWithOtherTablesBetween() =>
        Error("[tbl]\n[tbl.sub]\n[other]\n[tbl]", 4, "table [tbl] is already defined at line 1", 2);

    [Fact]
    public void ArrayOfTablesAfterTable() =>
        Error("[fruit]\n[[fruit]]", 2, "[[fruit]] conflicts with table \"fruit\" defined at line 1", 3);

    [Fact]
    public void TableAfterArrayOfTables() =>
        Error("[[fruits]]\nname = \"apple\"\n[fruits]", 3, "[fruits] is already defined as an array of tables at line 1", 2);

    [Fact]
    public void ArrayOfTablesAppendingToArrayLiteral() =>
        Error("fruits = []\n[[fruits]]", 2, "cannot append to \"fruits\" with [[fruits]]: it is an array literal defined at line 1", 3);

    [Fact]
    public void TableInsideArrayLiteral() =>
        Error("a = [{ b = 1 }]\n[a.c]", 2, "cannot add tables to \"a\": it is an array literal", 2);

    [Fact]
    public void HeaderThroughScalar() =>
        Error("a = 1\n[a.b]", 2, "key \"a\" is already defined as an integer at line 1; it cannot be used as a table", 2);

    [Fact]
    public void ArrayOfTablesOverwritingValue() =>
        Error("a = 1\n[[a]]", 2, "key \"a\" is already defined as an integer at line 1", 3);

    [Fact]
    public void DuplicateKeyInArrayOfTablesElement() =>
        Error("[[p]]\nx = 1\n[[p]]\nx = 1\nx = 2", 5, "duplicate key \"p.x\" (first defined at line 4)", 1);

    [Fact]
    public void QuotedKeysAreNamedWithQuotesInMessages() =>
        Error("[\"a b\"]\n[\"a b\"]", 2, "table [\"a b\"] is already defined at line 1", 2);
}
