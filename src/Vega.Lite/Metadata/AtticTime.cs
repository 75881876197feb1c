using System.Globalization;

namespace Vega.Lite.Metadata;

/// <summary>
/// Times in Attic's tables on SQLite, as atticd's sqlx writes them: RFC 3339 text in UTC with nine fraction digits and
/// a <c>+00:00</c> suffix (<c>2026-06-26T14:16:13.123456789+00:00</c>; docs/attic-database.md §1.3). One format with
/// that suffix orders as text the way the times order, so a cutoff is compared as text, with no parsing per row; a
/// <c>Z</c> suffix would break that (<c>…56Z</c> sorts after <c>…56.5+00:00</c>). Vega.Lite's own <c>vega_</c> tables
/// keep unix seconds. On PostgreSQL the columns are <c>timestamptz</c> and take a <see cref="DateTime"/> in UTC.
/// </summary>
internal static class AtticTime
{
    /// <summary>.NET keeps 100 ns ticks: seven digits, then two zeros, as sqlx's nine.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00+00:00'", CultureInfo.InvariantCulture);
}
