using System.Globalization;

namespace Vega.Lite.Core.Toml;

/// <summary>
/// Validates and converts TOML integer and float literals (the <c>inf</c>/<c>nan</c>
/// words are handled by <see cref="ScalarReader"/>). Returns an error reason instead of throwing.
/// </summary>
internal static class NumberLiteral
{
    public static TomlValue? TryParse(string token, int line, out string? error)
    {
        var signed = token[0] is '+' or '-';
        var body = signed ? token.AsSpan(1) : token.AsSpan();
        if (body.Length >= 2 && body[0] == '0' && body[1] is 'x' or 'o' or 'b')
        {
            if (signed)
            {
                error = "a sign is not allowed on hexadecimal, octal or binary integers";
                return null;
            }

            var radix = body[1] switch { 'x' => 16, 'o' => 8, _ => 2 };
            return ParsePrefixed(body[2..], radix, line, out error);
        }

        return ParseDecimal(token, signed ? 1 : 0, line, out error);
    }

    private static TomlValue? ParsePrefixed(ReadOnlySpan<char> digits, int radix, int line, out string? error)
    {
        if (!IsDigitRun(digits, radix))
        {
            error = $"invalid base-{radix} integer";
            return null;
        }

        ulong value = 0;
        foreach (var c in digits)
        {
            if (c == '_')
            {
                continue;
            }

            var digit = (ulong)DigitValue(c);
            if (value > (long.MaxValue - digit) / (ulong)radix)
            {
                error = "integer does not fit in 64 bits";
                return null;
            }

            value = (value * (ulong)radix) + digit;
        }

        error = null;
        return new TomlInteger((long)value, line);
    }

    private static TomlValue? ParseDecimal(string token, int start, int line, out string? error)
    {
        var pos = start;
        var intEnd = ScanDigits(token, pos);
        var intPart = token.AsSpan(pos, intEnd - pos);
        if (!IsDigitRun(intPart, 10))
        {
            error = "expected digits, with underscores only between digits";
            return null;
        }

        if (intPart.Length > 1 && intPart[0] == '0')
        {
            error = "leading zeros are not allowed";
            return null;
        }

        pos = intEnd;
        var isFloat = false;
        if (pos < token.Length && token[pos] == '.')
        {
            isFloat = true;
            var fracEnd = ScanDigits(token, pos + 1);
            if (!IsDigitRun(token.AsSpan(pos + 1, fracEnd - pos - 1), 10))
            {
                error = "a decimal point must be followed by digits";
                return null;
            }

            pos = fracEnd;
        }

        if (pos < token.Length && token[pos] is 'e' or 'E')
        {
            isFloat = true;
            pos++;
            if (pos < token.Length && token[pos] is '+' or '-')
            {
                pos++;
            }

            var expEnd = ScanDigits(token, pos);
            if (!IsDigitRun(token.AsSpan(pos, expEnd - pos), 10))
            {
                error = "an exponent must be followed by digits";
                return null;
            }

            pos = expEnd;
        }

        if (pos != token.Length)
        {
            error = $"unexpected '{token[pos]}'";
            return null;
        }

        var clean = token.Replace("_", string.Empty, StringComparison.Ordinal);
        error = null;
        if (!isFloat)
        {
            if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return new TomlInteger(integer, line);
            }

            error = "integer does not fit in 64 bits";
            return null;
        }

        var real = double.Parse(clean, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(real))
        {
            error = "float is out of range";
            return null;
        }

        return new TomlFloat(real, line);
    }

    private static int ScanDigits(string token, int pos)
    {
        while (pos < token.Length && (char.IsAsciiDigit(token[pos]) || token[pos] == '_'))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Non-empty digits of the radix, with single underscores only between digits.</summary>
    private static bool IsDigitRun(ReadOnlySpan<char> s, int radix)
    {
        if (s.IsEmpty || s[0] == '_' || s[^1] == '_')
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '_')
            {
                if (s[i - 1] == '_')
                {
                    return false;
                }
            }
            else if (DigitValue(s[i]) is var d && (d < 0 || d >= radix))
            {
                return false;
            }
        }

        return true;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
