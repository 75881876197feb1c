namespace Vega.Lite.Core.Toml;

/// <summary>
/// Validates TOML 1.0 date/time literals (RFC 3339 with the TOML relaxations:
/// <c>T</c>, <c>t</c> or a space between date and time, lower-case <c>z</c>,
/// time-only and date-only forms). Seconds are required, as in TOML 1.0.
/// </summary>
internal static class DateTimeLiteral
{
    /// <summary>True when the token starts like a date (<c>dddd-</c>) or a time (<c>dd:</c>).</summary>
    public static bool LooksLikeDateTime(string token) =>
        (token.Length >= 3 && char.IsAsciiDigit(token[0]) && char.IsAsciiDigit(token[1]) && token[2] == ':') ||
        (token.Length >= 5 && IsDigits(token, 0, 4) && token[4] == '-');

    /// <summary>True when the token is exactly a full date (<c>dddd-dd-dd</c>), used to decide whether a space may join a time.</summary>
    public static bool IsFullDateShape(string token) =>
        token.Length == 10 && IsDigits(token, 0, 4) && token[4] == '-' && IsDigits(token, 5, 2) && token[7] == '-' && IsDigits(token, 8, 2);

    public static TomlDateTimeKind? Validate(string s, out string? error)
    {
        if (s[2] == ':')
        {
            error = ValidateTime(s, 0, out var end) ?? (end == s.Length ? null : "unexpected text after the time");
            return error is null ? TomlDateTimeKind.LocalTime : null;
        }

        error = ValidateDate(s);
        if (error is not null)
        {
            return null;
        }

        if (s.Length == 10)
        {
            return TomlDateTimeKind.LocalDate;
        }

        if (s[10] is not ('T' or 't' or ' '))
        {
            error = "expected 'T' or a space between date and time";
            return null;
        }

        error = ValidateTime(s, 11, out var timeEnd);
        if (error is not null)
        {
            return null;
        }

        if (timeEnd == s.Length)
        {
            return TomlDateTimeKind.LocalDateTime;
        }

        error = ValidateOffset(s, timeEnd);
        return error is null ? TomlDateTimeKind.OffsetDateTime : null;
    }

    private static string? ValidateDate(string s)
    {
        if (s.Length < 10 || !IsFullDateShape(s[..10]))
        {
            return "expected a date of the form YYYY-MM-DD";
        }

        var year = Number(s, 0, 4);
        var month = Number(s, 5, 2);
        var day = Number(s, 8, 2);
        if (month is < 1 or > 12)
        {
            return "month must be between 01 and 12";
        }

        return day < 1 || day > DaysInMonth(year, month) ? "day is out of range for the month" : null;
    }

    private static string? ValidateTime(string s, int start, out int end)
    {
        end = start + 8;
        if (s.Length < end || !IsDigits(s, start, 2) || s[start + 2] != ':' || !IsDigits(s, start + 3, 2) ||
            s[start + 5] != ':' || !IsDigits(s, start + 6, 2))
        {
            return "expected a time of the form HH:MM:SS";
        }

        if (Number(s, start, 2) > 23 || Number(s, start + 3, 2) > 59 || Number(s, start + 6, 2) > 60)
        {
            return "time is out of range";
        }

        if (end < s.Length && s[end] == '.')
        {
            var fractionStart = end + 1;
            end = fractionStart;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }

            if (end == fractionStart)
            {
                return "expected digits after the decimal point of the seconds";
            }
        }

        return null;
    }

    private static string? ValidateOffset(string s, int start)
    {
        if (s[start] is 'Z' or 'z')
        {
            return start + 1 == s.Length ? null : "unexpected text after the time offset";
        }

        if (s[start] is '+' or '-' && s.Length == start + 6 && IsDigits(s, start + 1, 2) && s[start + 3] == ':' && IsDigits(s, start + 4, 2))
        {
            return Number(s, start + 1, 2) > 23 || Number(s, start + 4, 2) > 59 ? "time offset is out of range" : null;
        }

        return "expected a time offset (Z or +HH:MM)";
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool IsDigits(string s, int start, int count)
    {
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(string s, int start, int count)
    {
        var n = 0;
        for (var i = start; i < start + count; i++)
        {
            n = (n * 10) + (s[i] - '0');
        }

        return n;
    }
}
