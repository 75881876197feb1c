namespace Vega.Lite.Core.Toml;

/// <summary>One part of a (possibly dotted) key, with where it was written.</summary>
internal readonly record struct KeyPart(string Name, TextMark Mark)
{
    /// <summary>Renders the first <paramref name="count"/> parts as TOML, quoting parts that are not bare keys.</summary>
    public static string Format(IReadOnlyList<KeyPart> parts, int count)
    {
        var rendered = new string[count];
        for (var i = 0; i < count; i++)
        {
            var name = parts[i].Name;
            rendered[i] = name.Length > 0 && name.All(KeyReader.IsBareKeyChar) ? name : Quote(name);
        }

        return string.Join('.', rendered);
    }

    private static string Quote(string name) => "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>Reads keys: bare, quoted, and dotted (<c>a . "b" . 'c'</c>).</summary>
internal static class KeyReader
{
    public static bool IsBareKeyChar(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    /// <summary>
    /// Reads a dotted key starting at the cursor (leading whitespace already skipped)
    /// and skips whitespace after it.
    /// </summary>
    public static List<KeyPart> ReadDottedKey(TextCursor cursor)
    {
        var parts = new List<KeyPart>();
        while (true)
        {
            parts.Add(ReadSimpleKey(cursor));
            cursor.SkipSpaces();
            if (cursor.Current != '.')
            {
                return parts;
            }

            cursor.Advance();
            cursor.SkipSpaces();
        }
    }

    private static KeyPart ReadSimpleKey(TextCursor cursor)
    {
        var mark = cursor.Mark();
        switch (cursor.Current)
        {
            case '"':
                if (cursor.StartsWith("\"\"\""))
                {
                    throw cursor.Error("a multi-line string cannot be used as a key");
                }

                return new KeyPart(StringLexer.ReadString(cursor), mark);

            case '\'':
                if (cursor.StartsWith("'''"))
                {
                    throw cursor.Error("a multi-line string cannot be used as a key");
                }

                return new KeyPart(StringLexer.ReadString(cursor), mark);
        }

        var start = cursor.Position;
        while (IsBareKeyChar(cursor.Current))
        {
            cursor.Advance();
        }

        if (cursor.Position == start)
        {
            throw cursor.Error($"expected a key, found {cursor.DescribeCurrent()}");
        }

        return new KeyPart(cursor.Slice(start, cursor.Position), mark);
    }
}
