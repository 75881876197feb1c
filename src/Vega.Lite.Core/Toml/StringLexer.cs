using System.Text;

namespace Vega.Lite.Core.Toml;

/// <summary>
/// Reads the four TOML string forms: basic (<c>"..."</c>), literal (<c>'...'</c>),
/// multi-line basic (<c>"""..."""</c>) and multi-line literal (<c>'''...'''</c>).
/// Newlines inside multi-line strings are normalised to <c>\n</c>.
/// </summary>
internal static class StringLexer
{
    /// <summary>Reads a string of any form; the cursor is on the opening quote.</summary>
    public static string ReadString(TextCursor cursor)
    {
        var quote = cursor.Current;
        var multiLine = quote == '"' ? cursor.StartsWith("\"\"\"") : cursor.StartsWith("'''");
        return multiLine ? ReadMultiLine(cursor, quote) : ReadSingleLine(cursor, quote);
    }

    private static string ReadSingleLine(TextCursor cursor, char quote)
    {
        var start = cursor.Mark();
        var escapes = quote == '"';
        var text = new StringBuilder();
        cursor.Advance();
        while (true)
        {
            if (cursor.AtEnd)
            {
                throw cursor.ErrorAt(start, "unterminated string");
            }

            var c = cursor.Current;
            if (c == quote)
            {
                cursor.Advance();
                return text.ToString();
            }

            if (c is '\n' or '\r')
            {
                throw cursor.Error("unterminated string: a single-line string cannot contain a newline");
            }

            if (escapes && c == '\\')
            {
                ReadEscape(cursor, text);
                continue;
            }

            CheckNotControl(cursor);
            text.Append(c);
            cursor.Advance();
        }
    }

    private static string ReadMultiLine(TextCursor cursor, char quote)
    {
        var start = cursor.Mark();
        var escapes = quote == '"';
        var text = new StringBuilder();
        cursor.Advance(3);

        // A newline immediately after the opening delimiter is trimmed.
        if (cursor.AtNewline)
        {
            cursor.ConsumeNewline();
        }

        while (true)
        {
            if (cursor.AtEnd)
            {
                throw cursor.ErrorAt(start, "unterminated multi-line string");
            }

            var c = cursor.Current;
            if (c == quote)
            {
                var run = 0;
                while (cursor.Peek(run) == quote)
                {
                    run++;
                }

                if (run < 3)
                {
                    text.Append(quote, run);
                    cursor.Advance(run);
                    continue;
                }

                // Up to two quotes may sit right before the closing delimiter.
                if (run > 5)
                {
                    throw cursor.Error("too many quotes: at most two quotes may precede the closing delimiter");
                }

                text.Append(quote, run - 3);
                cursor.Advance(run);
                return text.ToString();
            }

            if (cursor.AtNewline)
            {
                cursor.ConsumeNewline();
                text.Append('\n');
                continue;
            }

            if (escapes && c == '\\')
            {
                if (IsLineEndingBackslash(cursor))
                {
                    SkipWhitespaceAndNewlines(cursor);
                }
                else
                {
                    ReadEscape(cursor, text);
                }

                continue;
            }

            CheckNotControl(cursor);
            text.Append(c);
            cursor.Advance();
        }
    }

    /// <summary>True when the backslash under the cursor is followed only by whitespace up to the end of the line.</summary>
    private static bool IsLineEndingBackslash(TextCursor cursor)
    {
        var i = 1;
        while (cursor.Peek(i) is ' ' or '\t')
        {
            i++;
        }

        return cursor.Peek(i) == '\n' || (cursor.Peek(i) == '\r' && cursor.Peek(i + 1) == '\n');
    }

    private static void SkipWhitespaceAndNewlines(TextCursor cursor)
    {
        cursor.Advance(); // the backslash
        while (true)
        {
            if (cursor.Current is ' ' or '\t')
            {
                cursor.Advance();
            }
            else if (cursor.AtNewline)
            {
                cursor.ConsumeNewline();
            }
            else
            {
                return;
            }
        }
    }

    private static void CheckNotControl(TextCursor cursor)
    {
        var c = cursor.Current;
        if (c == '\r')
        {
            throw cursor.Error("a carriage return must be followed by a line feed");
        }

        if (TextCursor.IsForbiddenControl(c))
        {
            throw cursor.Error($"{TextCursor.Describe(c)} is not allowed in a string; use an escape sequence");
        }
    }

    /// <summary>Reads an escape sequence; the cursor is on the backslash.</summary>
    private static void ReadEscape(TextCursor cursor, StringBuilder text)
    {
        var mark = cursor.Mark();
        cursor.Advance();
        var c = cursor.Current;
        switch (c)
        {
            case 'b': text.Append('\b'); break;
            case 't': text.Append('\t'); break;
            case 'n': text.Append('\n'); break;
            case 'f': text.Append('\f'); break;
            case 'r': text.Append('\r'); break;
            case '"': text.Append('"'); break;
            case '\\': text.Append('\\'); break;
            case 'u':
            case 'U':
                cursor.Advance();
                text.Append(ReadUnicodeEscape(cursor, mark, c == 'u' ? 4 : 8, c));
                return;
            default:
                if (cursor.AtEnd)
                {
                    throw cursor.ErrorAt(mark, "unterminated string");
                }

                var what = char.IsControl(c) ? "backslash followed by " + TextCursor.Describe(c) : "\\" + c;
                throw cursor.ErrorAt(mark, $"invalid escape sequence {what}");
        }

        cursor.Advance();
    }

    private static string ReadUnicodeEscape(TextCursor cursor, TextMark mark, int digits, char letter)
    {
        var first = cursor.Position;
        var value = 0;
        for (var i = 0; i < digits; i++)
        {
            var digit = HexValue(cursor.Current);
            if (digit < 0)
            {
                throw cursor.ErrorAt(mark, $"invalid escape sequence: \\{letter} must be followed by {digits} hexadecimal digits");
            }

            // Eight hex digits can exceed int; anything above 0x10FFFF is rejected below anyway.
            value = value > 0x10FFFF ? value : (value * 16) + digit;
            cursor.Advance();
        }

        if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        {
            var written = cursor.Slice(first, cursor.Position);
            throw cursor.ErrorAt(mark, $"invalid escape sequence \\{letter}{written}: not a Unicode scalar value");
        }

        return char.ConvertFromUtf32(value);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
