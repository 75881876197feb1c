using System.Globalization;
using System.Text;

namespace Vega.Lite.Api;

/// <summary>
/// The status page's two charts as inline SVG, drawn on the server: bars of paths pushed per day, and the area of stored
/// bytes over the hourly samples. Each is a <c>figure</c>: the SVG with a <c>title</c> (what a screen reader says) and a
/// <c>title</c> per bar, then a caption in HTML (first date, the largest value, last date), so the text keeps its size
/// however wide the chart is drawn. The scale starts at zero.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 600;
    private const int Height = 100;
    private const int Top = 2;
    private const int Bottom = 99; // the x axis

    public static void PushesPerDay(StringBuilder svg, long[] perDay, long today)
    {
        var first = today - perDay.Length + 1;
        var max = Math.Max(1, perDay.Max());
        var slot = (double)Width / perDay.Length;
        Open(svg, "pushes", $"Paths pushed per day from {StatusPageHtml.Day(first)} to {StatusPageHtml.Day(today)}: {perDay.Sum()} in all, at most {perDay.Max()} a day");
        for (var i = 0; i < perDay.Length; i++)
        {
            var height = (Bottom - Top) * (double)perDay[i] / max;
            svg.Append("<rect class=\"bar\" x=\"").Append(N(i * slot + 1)).Append("\" y=\"").Append(N(Bottom - height))
                .Append("\" width=\"").Append(N(slot - 2)).Append("\" height=\"").Append(N(height)).Append("\" data-day=\"")
                .Append(StatusPageHtml.Day(first + i)).Append("\" data-value=\"").Append(perDay[i]).Append("\"><title>")
                .Append(StatusPageHtml.Day(first + i)).Append(": ").Append(perDay[i]).Append(perDay[i] == 1 ? " path" : " paths").Append("</title></rect>");
        }
        Close(svg, first, today, $"at most {StatusPageHtml.Count(perDay.Max())} a day");
    }

    public static void StoredBytes(StringBuilder svg, IReadOnlyList<(long Hour, long StoredBytes)> samples, long today)
    {
        var firstHour = (today - StatusPage.Days + 1) * 24;
        var lastHour = (today + 1) * 24;
        if (samples.Count < 2)
        {
            svg.Append("<p class=\"muted\" id=\"storage-chart-empty\">The chart starts once two hours have been sampled (the server samples each hour it is asked).</p>");
            return;
        }
        var max = Math.Max(1, samples.Max(s => s.StoredBytes));
        double X(long hour) => Width * (double)(hour - firstHour) / (lastHour - firstHour);
        double Y(long bytes) => Bottom - (Bottom - Top) * (double)bytes / max;
        Open(svg, "stored", $"Stored bytes from {StatusPageHtml.Time(samples[0].Hour * 3600)} to {StatusPageHtml.Time(samples[^1].Hour * 3600)}: now {StatusPageHtml.Bytes(samples[^1].StoredBytes)}");
        svg.Append("<path class=\"area\" d=\"M").Append(N(X(samples[0].Hour))).Append(',').Append(Bottom);
        foreach (var (hour, bytes) in samples)
        {
            svg.Append(" L").Append(N(X(hour))).Append(',').Append(N(Y(bytes)));
        }
        svg.Append(" L").Append(N(X(samples[^1].Hour))).Append(',').Append(Bottom).Append(" Z\"/>");
        Close(svg, today - StatusPage.Days + 1, today, $"at most {StatusPageHtml.Bytes(max)}");
    }

    private static void Open(StringBuilder svg, string id, string title) =>
        svg.Append("<figure class=\"chart\"><svg id=\"chart-").Append(id).Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(Height)
            .Append("\" role=\"img\" aria-labelledby=\"chart-").Append(id).Append("-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-")
            .Append(id).Append("-title\">").Append(title).Append("</title>");

    private static void Close(StringBuilder svg, long firstDay, long lastDay, string peak) =>
        svg.Append("<line x1=\"0\" y1=\"").Append(Bottom).Append("\" x2=\"").Append(Width).Append("\" y2=\"").Append(Bottom)
            .Append("\" stroke=\"currentColor\" stroke-opacity=\".3\"/></svg><figcaption><span>").Append(StatusPageHtml.Day(firstDay))
            .Append("</span><span>").Append(peak).Append("</span><span>").Append(StatusPageHtml.Day(lastDay)).Append("</span></figcaption></figure>");

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
