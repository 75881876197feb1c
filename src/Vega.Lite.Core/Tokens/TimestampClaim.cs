using System.Globalization;
using System.Text.Json;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Reads <c>iat</c>/<c>exp</c>/<c>nbf</c> exactly as jwt-simple 0.11 does (<c>serde_additions::unix_timestamp</c>
/// over serde_json, stored in coarsetime's 32.32 fixed point):
/// <list type="bullet">
/// <item>Only JSON numbers; <c>null</c>, strings and booleans make the token invalid.</item>
/// <item>Non-negative integers up to 2^64-1 are taken as is; negative integers within i64 are reinterpreted as
/// u64 (two's complement); floats (anything with <c>.</c>/<c>e</c>, <c>-0</c>, and integers outside those ranges)
/// are truncated toward zero and saturated to [0, 2^64-1]; a float that overflows f64 is rejected.</item>
/// <item>The result keeps only its low 32 bits (<c>secs &lt;&lt; 32</c> in coarsetime), so e.g. -1 becomes
/// 4294967295 and 2^32 + 5 becomes 5.</item>
/// </list>
/// </summary>
internal static class TimestampClaim
{
    private const double TwoPow64 = 18446744073709551616.0;

    public static bool TryRead(JsonElement value, out long effectiveSeconds)
    {
        effectiveSeconds = 0;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        string raw = value.GetRawText();
        ulong seconds;
        bool isFloat = raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0 || raw == "-0";
        if (!isFloat && raw[0] != '-' && ulong.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned))
        {
            seconds = unsigned;
        }
        else if (!isFloat && raw[0] == '-' && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed))
        {
            seconds = unchecked((ulong)signed);
        }
        else if (!TrySaturatingFloat(raw, out seconds))
        {
            return false;
        }

        effectiveSeconds = (long)(seconds & uint.MaxValue);
        return true;
    }

    /// <summary>Rust's <c>f64 as u64</c>: truncation toward zero, NaN and negatives to 0, saturation at 2^64-1.</summary>
    private static bool TrySaturatingFloat(string raw, out ulong seconds)
    {
        seconds = 0;
        double d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(d))
        {
            return false;
        }

        if (d >= TwoPow64)
        {
            seconds = ulong.MaxValue;
        }
        else if (d > 0)
        {
            seconds = (ulong)Math.Truncate(d);
        }

        return true;
    }
}
