namespace Vega.Lite.Core.Toml;

/// <summary>
/// Reads unquoted scalar values: booleans, integers, floats (including
/// <c>inf</c>/<c>nan</c>) and date/time literals.
/// </summary>
internal static class ScalarReader
{
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.' or ':';

    /// <summary>Reads a scalar token at the cursor; the caller has checked <see cref="IsTokenChar"/>.</summary>
    public static TomlValue Read(TextCursor cursor)
    {
        var mark = cursor.Mark();
        var start = cursor.Position;
        SkipTokenChars(cursor);

        // "1979-05-27 07:32:00": a space may separate date and time.
        if (cursor.Current == ' ' && char.IsAsciiDigit(cursor.Peek(1)) && char.IsAsciiDigit(cursor.Peek(2)) &&
            cursor.Peek(3) == ':' && DateTimeLiteral.IsFullDateShape(cursor.Slice(start, cursor.Position)))
        {
            cursor.Advance();
            SkipTokenChars(cursor);
        }

        var token = cursor.Slice(start, cursor.Position);
        var line = mark.Line;
        switch (token)
        {
            case "true":
                return new TomlBoolean(true, line);
            case "false":
                return new TomlBoolean(false, line);
            case "inf" or "+inf":
                return new TomlFloat(double.PositiveInfinity, line);
            case "-inf":
                return new TomlFloat(double.NegativeInfinity, line);
            case "nan" or "+nan" or "-nan":
                return new TomlFloat(double.NaN, line);
        }

        if (DateTimeLiteral.LooksLikeDateTime(token))
        {
            var kind = DateTimeLiteral.Validate(token, out var dateError);
            return kind is { } k
                ? new TomlDateTime(token, k, line)
                : throw cursor.ErrorAt(mark, $"invalid date/time '{token}': {dateError}");
        }

        if (char.IsAsciiLetter(token[0]) || token[0] == '_')
        {
            throw cursor.ErrorAt(mark, $"invalid value '{token}' (strings must be quoted)");
        }

        var number = NumberLiteral.TryParse(token, line, out var numberError);
        return number ?? throw cursor.ErrorAt(mark, $"invalid number '{token}': {numberError}");
    }

    private static void SkipTokenChars(TextCursor cursor)
    {
        while (IsTokenChar(cursor.Current))
        {
            cursor.Advance();
        }
    }
}
