using System.Globalization;
using System.Text.Json;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Reads <c>iat</c>/<c>exp</c>/<c>nbf</c>: a JSON integer of seconds from 0 to 2^32 - 1 (the year 2106), nothing else.
/// jwt-simple keeps times in coarsetime's 32.32 fixed point, so a negative value or one past 2^32 - 1 would wrap
/// (−1 to 2106: a token that never expires); such values, fractions, exponent forms and non-numbers make the token
/// invalid instead of meaning another time (docs/attic-api.md §4.6).
/// </summary>
internal static class TimestampClaim
{
    public static bool TryRead(JsonElement value, out long seconds)
    {
        seconds = 0;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        // NumberStyles.None: digits only, so "-1", "1.5" and "1e9" fail here.
        if (!ulong.TryParse(value.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed) || parsed > uint.MaxValue)
        {
            return false;
        }

        seconds = (long)parsed;
        return true;
    }
}
