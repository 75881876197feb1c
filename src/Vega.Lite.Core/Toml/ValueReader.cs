namespace Vega.Lite.Core.Toml;

/// <summary>Reads one value of any type: strings, scalars, arrays and inline tables.</summary>
internal static class ValueReader
{
    /// <summary>Guards against stack exhaustion on hostile input such as <c>[[[[[[...</c>.</summary>
    private const int MaxNesting = 128;

    /// <summary>Reads a value at the cursor (leading whitespace already skipped).</summary>
    public static TomlValue Read(TextCursor cursor, int depth = 0)
    {
        var mark = cursor.Mark();
        var c = cursor.Current;
        if (c is '"' or '\'')
        {
            return new TomlString(StringLexer.ReadString(cursor), mark.Line);
        }

        if (c is '[' or '{')
        {
            if (depth >= MaxNesting)
            {
                throw cursor.Error($"arrays and inline tables are nested more than {MaxNesting} levels deep");
            }

            return c == '[' ? ReadArray(cursor, depth + 1) : ReadInlineTable(cursor, depth + 1);
        }

        if (!cursor.AtEnd && ScalarReader.IsTokenChar(c))
        {
            return ScalarReader.Read(cursor);
        }

        if (cursor.AtEnd || cursor.AtNewline || c == '#')
        {
            throw cursor.Error("missing value");
        }

        throw cursor.Error($"expected a value, found {cursor.DescribeCurrent()}");
    }

    private static TomlArray ReadArray(TextCursor cursor, int depth)
    {
        var open = cursor.Mark();
        var items = new List<TomlValue>();
        cursor.Advance();
        while (true)
        {
            cursor.SkipTrivia();
            if (cursor.AtEnd)
            {
                throw cursor.ErrorAt(open, "unterminated array");
            }

            if (cursor.Current == ']')
            {
                break;
            }

            items.Add(Read(cursor, depth));
            cursor.SkipTrivia();
            if (cursor.Current == ',')
            {
                cursor.Advance();
                continue;
            }

            if (cursor.Current == ']')
            {
                break;
            }

            throw cursor.AtEnd
                ? cursor.ErrorAt(open, "unterminated array")
                : cursor.Error($"expected ',' or ']' in array, found {cursor.DescribeCurrent()}");
        }

        cursor.Advance();
        return new TomlArray(items, isArrayOfTables: false, open.Line);
    }

    private static TomlTable ReadInlineTable(TextCursor cursor, int depth)
    {
        var open = cursor.Mark();
        var table = new TomlTable(TableOrigin.Inline, open.Line);
        cursor.Advance();
        cursor.SkipSpaces();
        if (cursor.Current == '}')
        {
            cursor.Advance();
            return table;
        }

        while (true)
        {
            CheckInlineLineContinues(cursor, open);
            var key = KeyReader.ReadDottedKey(cursor);
            if (cursor.Current != '=')
            {
                CheckInlineLineContinues(cursor, open);
                throw cursor.Error($"expected '=' after key \"{KeyPart.Format(key, key.Count)}\", found {cursor.DescribeCurrent()}");
            }

            cursor.Advance();
            cursor.SkipSpaces();
            var value = Read(cursor, depth);
            TableBuilder.Assign(cursor, table, string.Empty, key, value, TableOrigin.DottedInInline);
            cursor.SkipSpaces();
            if (cursor.Current == '}')
            {
                cursor.Advance();
                return table;
            }

            CheckInlineLineContinues(cursor, open);
            if (cursor.Current != ',')
            {
                throw cursor.Error($"expected ',' or '}}' in inline table, found {cursor.DescribeCurrent()}");
            }

            cursor.Advance();
            cursor.SkipSpaces();
            if (cursor.Current == '}')
            {
                throw cursor.Error("trailing comma is not allowed in an inline table");
            }
        }
    }

    private static void CheckInlineLineContinues(TextCursor cursor, TextMark open)
    {
        if (cursor.AtEnd)
        {
            throw cursor.ErrorAt(open, "unterminated inline table");
        }

        if (cursor.AtNewline || cursor.Current == '#')
        {
            throw cursor.Error("an inline table must be on a single line (newlines and comments are not allowed inside it)");
        }
    }
}
