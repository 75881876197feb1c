using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Time;

/// <summary>
/// Parses durations the way Rust's <c>humantime</c> crate (v2, <c>parse_duration</c>)
/// does, e.g. <c>"12 hours"</c>, <c>"1h 30m"</c>, <c>"2weeks 3days"</c>, <c>"3 months"</c>.
/// </summary>
/// <remarks>
/// Checked against humantime's <c>src/duration.rs</c> (tailhook/humantime). The unit list there is
/// a superset of the commonly documented one; all of it is accepted, case-sensitively:
/// <list type="bullet">
/// <item><c>nanos nsec ns</c> - nanoseconds</item>
/// <item><c>usec us µs</c> - microseconds (µ is U+00B5 MICRO SIGN)</item>
/// <item><c>millis msec ms</c> - milliseconds</item>
/// <item><c>seconds second secs sec s</c></item>
/// <item><c>minutes minute mins min m</c></item>
/// <item><c>hours hour hrs hr h</c></item>
/// <item><c>days day d</c>, <c>weeks week w</c></item>
/// <item><c>months month M</c> - 30.44 days = 2 630 016 s</item>
/// <item><c>years year y</c> - 365.25 days = 31 557 600 s</item>
/// </list>
/// Quirks kept from humantime: whitespace is allowed anywhere between number and unit
/// and between groups, and also inside a number (<c>"1 2s"</c> is 12 s); a unit may be
/// followed directly by the next number (<c>"1h30m"</c>); only ASCII digits and
/// letters are allowed. Overflow is reported where humantime reports it (u64 arithmetic),
/// and additionally when the result exceeds <see cref="TimeSpan.MaxValue"/>.
/// Error messages name 0-based character positions (humantime uses byte offsets).
/// Differences forced by <see cref="TimeSpan"/>: its resolution is 100 ns, so
/// sub-tick parts are truncated (<c>"150ns"</c> is 1 tick).
/// </remarks>
public static class HumanDuration
{
    private const ulong NanosPerSecond = 1_000_000_000;
    private const string SupportedUnits =
        "supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years (and a few variations)";

    /// <summary>Parses a humantime duration.</summary>
    /// <exception cref="FormatException">The text is not a valid duration; the message says why.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value, out var error) ? value : throw new FormatException(error);
    }

    /// <summary>Parses a humantime duration without throwing.</summary>
    /// <returns>True on success; otherwise <paramref name="error"/> says what is wrong.</returns>
    public static bool TryParse(string text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        if (text is null)
        {
            error = "value was empty";
            return false;
        }

        error = new Parser(text).Run(out value);
        return error is null;
    }

    /// <summary>
    /// A direct port of humantime's state machine: read a number (whitespace skipped),
    /// then a unit (ASCII letters, or µ first), then either the next number or the end.
    /// </summary>
    private ref struct Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;
        private ulong _seconds;
        private ulong _nanos;

        public string? Run(out TimeSpan value)
        {
            value = TimeSpan.Zero;
            var first = NextNumberStart(out var error);
            if (error is not null)
            {
                return error;
            }

            if (first is not { } n)
            {
                return "value was empty";
            }

            while (true)
            {
                // Rest of the number; whitespace inside it is skipped, as in humantime.
                while (_pos < _text.Length)
                {
                    var c = _text[_pos];
                    if (char.IsAsciiDigit(c))
                    {
                        if (!TryAppendDigit(ref n, c))
                        {
                            return Overflow();
                        }
                    }
                    else if (!char.IsWhiteSpace(c))
                    {
                        if (!char.IsAsciiLetter(c) && c != 'µ')
                        {
                            return InvalidCharacter();
                        }

                        break;
                    }

                    _pos++;
                }

                // The unit: letters up to whitespace, a digit (next group) or the end.
                var unitStart = _pos;
                var nextDigit = false;
                while (_pos < _text.Length)
                {
                    var c = _text[_pos];
                    if (char.IsAsciiDigit(c))
                    {
                        nextDigit = true;
                        break;
                    }

                    if (char.IsWhiteSpace(c))
                    {
                        break;
                    }

                    if (!char.IsAsciiLetter(c) && !(c == 'µ' && _pos == unitStart))
                    {
                        return InvalidCharacter();
                    }

                    _pos++;
                }

                error = AddUnit(n, _text[unitStart.._pos]);
                if (error is not null)
                {
                    return error;
                }

                if (nextDigit)
                {
                    n = (ulong)(_text[_pos] - '0');
                    _pos++;
                    continue;
                }

                var next = NextNumberStart(out error);
                if (error is not null)
                {
                    return error;
                }

                if (next is not { } following)
                {
                    return ToTimeSpan(out value);
                }

                n = following;
            }
        }

        /// <summary>Skips whitespace; returns the first digit of the next number, or null at the end.</summary>
        private ulong? NextNumberStart(out string? error)
        {
            error = null;
            while (_pos < _text.Length)
            {
                var c = _text[_pos];
                if (char.IsAsciiDigit(c))
                {
                    _pos++;
                    return (ulong)(c - '0');
                }

                if (!char.IsWhiteSpace(c))
                {
                    error = $"expected a number at position {_pos} in \"{_text}\"";
                    return null;
                }

                _pos++;
            }

            return null;
        }

        private string? AddUnit(ulong n, string unit)
        {
            ulong seconds = 0;
            ulong nanos = 0;
            var ok = unit switch
            {
                "nanos" or "nsec" or "ns" => Set(n, 1, ref nanos),
                "usec" or "us" or "µs" => Set(n, 1_000, ref nanos),
                "millis" or "msec" or "ms" => Set(n, 1_000_000, ref nanos),
                "seconds" or "second" or "secs" or "sec" or "s" => Set(n, 1, ref seconds),
                "minutes" or "minute" or "min" or "mins" or "m" => Set(n, 60, ref seconds),
                "hours" or "hour" or "hr" or "hrs" or "h" => Set(n, 3_600, ref seconds),
                "days" or "day" or "d" => Set(n, 86_400, ref seconds),
                "weeks" or "week" or "w" => Set(n, 604_800, ref seconds),
                "months" or "month" or "M" => Set(n, 2_630_016, ref seconds), // 30.44 days
                "years" or "year" or "y" => Set(n, 31_557_600, ref seconds), // 365.25 days
                _ => (bool?)null,
            };

            if (ok is null)
            {
                return unit.Length == 0
                    ? $"time unit needed, for example {n}sec or {n}ms, in \"{_text}\""
                    : $"unknown time unit \"{unit}\" in \"{_text}\"; {SupportedUnits}";
            }

            if (ok == false)
            {
                return Overflow();
            }

            try
            {
                checked
                {
                    nanos += _nanos;
                    seconds += nanos / NanosPerSecond;
                    _nanos = nanos % NanosPerSecond;
                    _seconds += seconds;
                }
            }
            catch (OverflowException)
            {
                return Overflow();
            }

            return null;
        }

        private static bool? Set(ulong n, ulong factor, ref ulong target)
        {
            if (n != 0 && factor > ulong.MaxValue / n)
            {
                return false;
            }

            target = n * factor;
            return true;
        }

        private readonly string? ToTimeSpan(out TimeSpan value)
        {
            const ulong maxSeconds = (ulong)(long.MaxValue / TimeSpan.TicksPerSecond);
            var ticks = _seconds <= maxSeconds ? (_seconds * (ulong)TimeSpan.TicksPerSecond) + (_nanos / 100) : ulong.MaxValue;
            if (ticks > long.MaxValue)
            {
                value = TimeSpan.Zero;
                return $"duration \"{_text}\" is too large";
            }

            value = new TimeSpan((long)ticks);
            return null;
        }

        private static bool TryAppendDigit(ref ulong n, char digit)
        {
            var d = (ulong)(digit - '0');
            if (n > (ulong.MaxValue - d) / 10)
            {
                return false;
            }

            n = (n * 10) + d;
            return true;
        }

        private readonly string InvalidCharacter() =>
            $"invalid character '{_text[_pos]}' at position {_pos} in \"{_text}\"";

        private readonly string Overflow() => $"number is too large in \"{_text}\"";
    }
}
