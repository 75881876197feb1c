namespace Vega.Lite.Core.Toml;

/// <summary>A 1-based line/column position in the document.</summary>
internal readonly record struct TextMark(int Line, int Column);

/// <summary>
/// Walks the document text one UTF-16 code unit at a time, tracking line and
/// column, and knows the TOML notions of whitespace, newline and comment.
/// </summary>
internal sealed class TextCursor
{
    private readonly string _text;
    private readonly string _sourceName;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public TextCursor(string text, string sourceName)
    {
        _text = text;
        _sourceName = sourceName;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            // A UTF-8 byte order mark decoded into the string: skip it, but keep
            // columns counted from the first visible character.
            _position = 1;
            _lineStart = 1;
        }
    }

    public bool AtEnd => _position >= _text.Length;

    /// <summary>The current character; <c>'\0'</c> at the end (check <see cref="AtEnd"/> where NUL matters).</summary>
    public char Current => _position < _text.Length ? _text[_position] : '\0';

    public int Position => _position;

    public int Line => _line;

    public int Column => _position - _lineStart + 1;

    public TextMark Mark() => new(_line, Column);

    /// <summary>True at <c>\n</c> or <c>\r\n</c>.</summary>
    public bool AtNewline => Current == '\n' || (Current == '\r' && Peek(1) == '\n');

    public char Peek(int offset)
    {
        var i = _position + offset;
        return i < _text.Length ? _text[i] : '\0';
    }

    public bool StartsWith(string s) => string.CompareOrdinal(_text, _position, s, 0, s.Length) == 0;

    public string Slice(int start, int end) => _text[start..end];

    public void Advance()
    {
        if (_position >= _text.Length)
        {
            return;
        }

        if (_text[_position] == '\n')
        {
            _line++;
            _lineStart = _position + 1;
        }

        _position++;
    }

    public void Advance(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Advance();
        }
    }

    /// <summary>Consumes <c>\n</c> or <c>\r\n</c>; the caller has checked <see cref="AtNewline"/>.</summary>
    public void ConsumeNewline()
    {
        if (Current == '\r')
        {
            Advance();
        }

        Advance();
    }

    /// <summary>Skips spaces and tabs.</summary>
    public void SkipSpaces()
    {
        while (Current is ' ' or '\t')
        {
            Advance();
        }
    }

    /// <summary>Skips a comment if one starts here, leaving the cursor on the newline or at the end.</summary>
    public void SkipComment()
    {
        if (Current != '#')
        {
            return;
        }

        Advance();
        while (!AtEnd && !AtNewline)
        {
            if (IsForbiddenControl(Current))
            {
                throw Error($"{DescribeCurrent()} is not allowed in a comment");
            }

            Advance();
        }
    }

    /// <summary>Skips whitespace, comments and newlines (inside arrays).</summary>
    public void SkipTrivia()
    {
        while (true)
        {
            SkipSpaces();
            SkipComment();
            if (!AtNewline)
            {
                return;
            }

            ConsumeNewline();
        }
    }

    /// <summary>
    /// Requires the rest of the line to be blank or a comment, then consumes the
    /// newline (or stops at the end of the document).
    /// </summary>
    public void ExpectEndOfLine(string after)
    {
        SkipSpaces();
        SkipComment();
        if (AtEnd)
        {
            return;
        }

        if (!AtNewline)
        {
            throw Error($"expected a newline or end of file {after}, found {DescribeCurrent()}");
        }

        ConsumeNewline();
    }

    public TomlException Error(string reason) => new(_sourceName, _line, Column, reason);

    public TomlException ErrorAt(TextMark mark, string reason) => new(_sourceName, mark.Line, mark.Column, reason);

    public string DescribeCurrent() => AtEnd ? "end of file" : Describe(Current);

    public static string Describe(char c) => c switch
    {
        '\n' => "newline",
        '\r' => "carriage return",
        '\t' => "tab",
        _ when char.IsControl(c) => $"control character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    /// <summary>Control characters TOML forbids in comments and strings (all but tab; newline is handled by callers).</summary>
    public static bool IsForbiddenControl(char c) => c is (<= '\u0008') or (>= '\u000A' and <= '\u001F') or '\u007F';
}
