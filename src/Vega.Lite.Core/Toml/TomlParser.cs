namespace Vega.Lite.Core.Toml;

/// <summary>
/// Parses TOML 1.0 documents into a <see cref="TomlTable"/> tree. Reflection-free
/// and allocation-light; errors are reported as <see cref="TomlException"/>.
/// </summary>
public static class TomlParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. <paramref name="sourceName"/> (usually the
    /// file path) prefixes error messages: <c>"{sourceName}:{line}:{column}: {reason}"</c>.
    /// A leading byte order mark and CRLF line endings are accepted.
    /// </summary>
    /// <exception cref="TomlException">The document is not valid TOML.</exception>
    public static TomlTable Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);

        var cursor = new TextCursor(text, sourceName);
        var builder = new TableBuilder(cursor);
        while (true)
        {
            cursor.SkipSpaces();
            if (cursor.AtEnd)
            {
                return builder.Root;
            }

            if (cursor.Current == '[')
            {
                ReadHeader(cursor, builder);
                cursor.ExpectEndOfLine("after the table header");
            }
            else if (cursor.Current != '#' && !cursor.AtNewline)
            {
                ReadKeyValue(cursor, builder);
                cursor.ExpectEndOfLine("after the value");
            }
            else
            {
                cursor.ExpectEndOfLine("after the comment");
            }
        }
    }

    private static void ReadHeader(TextCursor cursor, TableBuilder builder)
    {
        var line = cursor.Line;
        cursor.Advance();
        var isArray = cursor.Current == '[';
        if (isArray)
        {
            cursor.Advance();
        }

        cursor.SkipSpaces();
        var key = KeyReader.ReadDottedKey(cursor);
        var close = isArray ? "]]" : "]";
        if (!cursor.StartsWith(close))
        {
            throw cursor.Error($"expected '{close}' to close the table header, found {cursor.DescribeCurrent()}");
        }

        cursor.Advance(close.Length);
        if (isArray)
        {
            builder.OpenArrayElement(key, line);
        }
        else
        {
            builder.OpenTable(key, line);
        }
    }

    private static void ReadKeyValue(TextCursor cursor, TableBuilder builder)
    {
        var key = KeyReader.ReadDottedKey(cursor);
        if (cursor.Current != '=')
        {
            throw cursor.Error($"expected '=' after key \"{KeyPart.Format(key, key.Count)}\", found {cursor.DescribeCurrent()}");
        }

        cursor.Advance();
        cursor.SkipSpaces();
        var value = ValueReader.Read(cursor);
        builder.SetValue(key, value);
    }
}
