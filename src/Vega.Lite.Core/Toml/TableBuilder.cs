namespace Vega.Lite.Core.Toml;

/// <summary>
/// Assembles the document's table tree and enforces TOML's definition rules:
/// <list type="bullet">
/// <item>a key is assigned once;</item>
/// <item>a <c>[table]</c> is defined once; super-tables created implicitly by a
/// header (<c>a</c> in <c>[a.b]</c>) may be defined later by their own header;</item>
/// <item>dotted keys create tables, and may only extend tables that dotted keys
/// created, never ones defined or implied by headers;</item>
/// <item>a header cannot redefine a table created by dotted keys, but may add
/// sub-tables to it;</item>
/// <item>inline tables and array literals are closed: nothing can be added to them;</item>
/// <item><c>[[name]]</c> appends to an array of tables, never to an array literal.</item>
/// </list>
/// </summary>
internal sealed class TableBuilder
{
    private readonly TextCursor _cursor;

    /// <summary>Dotted path of <see cref="Current"/> for messages ("" for the root).</summary>
    private string _currentPath = "";

    public TableBuilder(TextCursor cursor)
    {
        _cursor = cursor;
        Root = new TomlTable(TableOrigin.Root, 1);
        Current = Root;
    }

    public TomlTable Root { get; }

    /// <summary>The table that key/value lines currently go into.</summary>
    public TomlTable Current { get; private set; }

    /// <summary>Handles a <c>[a.b.c]</c> header.</summary>
    public void OpenTable(IReadOnlyList<KeyPart> key, int line)
    {
        var parent = WalkHeaderPath(key, line);
        var last = key[^1];
        if (!parent.TryGetValue(last.Name, out var existing))
        {
            var table = new TomlTable(TableOrigin.Header, line);
            parent.Add(last.Name, table);
            Enter(table, key);
            return;
        }

        var name = KeyPart.Format(key, key.Count);
        switch (existing)
        {
            case TomlTable { Origin: TableOrigin.Implicit } implicitTable:
                implicitTable.MarkDefinedByHeader(line);
                Enter(implicitTable, key);
                return;
            case TomlTable { Origin: TableOrigin.Dotted } dotted:
                throw _cursor.ErrorAt(last.Mark, $"table [{name}] was already created by a dotted key at line {dotted.Line}");
            case TomlTable { IsInline: true } inline:
                throw _cursor.ErrorAt(last.Mark, $"table [{name}] is already defined as an inline table at line {inline.Line}");
            case TomlTable table:
                throw _cursor.ErrorAt(last.Mark, $"table [{name}] is already defined at line {table.Line}");
            case TomlArray { IsArrayOfTables: true } array:
                throw _cursor.ErrorAt(last.Mark, $"[{name}] is already defined as an array of tables at line {array.Line}");
            default:
                throw _cursor.ErrorAt(last.Mark, $"key \"{name}\" is already defined as {Article(existing)} at line {existing.Line}");
        }
    }

    /// <summary>Handles a <c>[[a.b.c]]</c> header.</summary>
    public void OpenArrayElement(IReadOnlyList<KeyPart> key, int line)
    {
        var parent = WalkHeaderPath(key, line);
        var last = key[^1];
        var element = new TomlTable(TableOrigin.ArrayElement, line);
        if (!parent.TryGetValue(last.Name, out var existing))
        {
            parent.Add(last.Name, new TomlArray([element], isArrayOfTables: true, line));
            Enter(element, key);
            return;
        }

        var name = KeyPart.Format(key, key.Count);
        switch (existing)
        {
            case TomlArray { IsArrayOfTables: true } array:
                array.Add(element);
                Enter(element, key);
                return;
            case TomlArray array:
                throw _cursor.ErrorAt(last.Mark, $"cannot append to \"{name}\" with [[{name}]]: it is an array literal defined at line {array.Line}");
            case TomlTable table:
                throw _cursor.ErrorAt(last.Mark, $"[[{name}]] conflicts with table \"{name}\" defined at line {table.Line}");
            default:
                throw _cursor.ErrorAt(last.Mark, $"key \"{name}\" is already defined as {Article(existing)} at line {existing.Line}");
        }
    }

    /// <summary>Handles <c>a.b.c = value</c> in the current table.</summary>
    public void SetValue(IReadOnlyList<KeyPart> key, TomlValue value) =>
        Assign(_cursor, Current, _currentPath, key, value, TableOrigin.Dotted);

    /// <summary>
    /// Assigns a possibly dotted key in <paramref name="target"/>, creating
    /// intermediate tables of <paramref name="dottedOrigin"/> (<see cref="TableOrigin.Dotted"/>,
    /// or <see cref="TableOrigin.DottedInInline"/> inside inline tables) and only
    /// descending into tables of that same origin. <paramref name="path"/> is the
    /// dotted name of <paramref name="target"/>, used in messages.
    /// </summary>
    public static void Assign(TextCursor cursor, TomlTable target, string path, IReadOnlyList<KeyPart> key, TomlValue value, TableOrigin dottedOrigin)
    {
        var table = target;
        for (var i = 0; i < key.Count - 1; i++)
        {
            var part = key[i];
            if (!table.TryGetValue(part.Name, out var existing))
            {
                var created = new TomlTable(dottedOrigin, part.Mark.Line);
                table.Add(part.Name, created);
                table = created;
                continue;
            }

            if (existing is TomlTable sub && sub.Origin == dottedOrigin)
            {
                table = sub;
                continue;
            }

            var name = Join(path, KeyPart.Format(key, i + 1));
            throw existing switch
            {
                TomlTable { IsInline: true } => cursor.ErrorAt(part.Mark, $"cannot add keys to inline table \"{name}\" defined at line {existing.Line}"),
                TomlTable => cursor.ErrorAt(part.Mark, $"cannot add keys to table \"{name}\" with a dotted key: it belongs to the table header at line {existing.Line}"),
                _ => cursor.ErrorAt(part.Mark, $"key \"{name}\" is already defined as {Article(existing)} at line {existing.Line}; it cannot be used as a table"),
            };
        }

        var last = key[^1];
        if (table.TryGetValue(last.Name, out var previous))
        {
            throw cursor.ErrorAt(last.Mark, $"duplicate key \"{Join(path, KeyPart.Format(key, key.Count))}\" (first defined at line {previous.Line})");
        }

        table.Add(last.Name, value);
    }

    /// <summary>Walks all but the last part of a header path, creating implicit super-tables.</summary>
    private TomlTable WalkHeaderPath(IReadOnlyList<KeyPart> key, int line)
    {
        var table = Root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            var part = key[i];
            if (!table.TryGetValue(part.Name, out var existing))
            {
                var created = new TomlTable(TableOrigin.Implicit, line);
                table.Add(part.Name, created);
                table = created;
                continue;
            }

            var name = KeyPart.Format(key, i + 1);
            table = existing switch
            {
                TomlTable { IsInline: true } => throw _cursor.ErrorAt(part.Mark, $"cannot add tables to inline table \"{name}\" defined at line {existing.Line}"),
                TomlTable sub => sub,
                TomlArray { IsArrayOfTables: true } array => (TomlTable)array[^1],
                TomlArray => throw _cursor.ErrorAt(part.Mark, $"cannot add tables to \"{name}\": it is an array literal defined at line {existing.Line}"),
                _ => throw _cursor.ErrorAt(part.Mark, $"key \"{name}\" is already defined as {Article(existing)} at line {existing.Line}; it cannot be used as a table"),
            };
        }

        return table;
    }

    private void Enter(TomlTable table, IReadOnlyList<KeyPart> key)
    {
        Current = table;
        _currentPath = KeyPart.Format(key, key.Count);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Article(TomlValue value) => value switch
    {
        TomlInteger => "an integer",
        TomlArray => "an array",
        _ => "a " + value.TypeName,
    };
}
