using System.Globalization;
using System.Net;
using System.Text;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;

namespace Vega.Lite.Api;

/// <summary>
/// The status page's HTML: one document with its CSS inline and its charts as inline SVG, no script and no other
/// request (the icon is a data URL), readable on a phone. Every number a test or a person may compare with the API is
/// also in a <c>data-value</c> attribute, exact, beside its rounded text.
/// </summary>
internal static class StatusPageHtml
{
    private const string Style =
        """
        :root{color-scheme:light dark;--fg:#1b1f24;--muted:#5c6670;--bg:#fbfbfc;--card:#fff;--line:#d8dde3;--accent:#3b6fd8}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa4ae;--bg:#15181c;--card:#1d2126;--line:#333a42;--accent:#7aa2f7}}
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header,main{max-width:64rem;margin:0 auto;padding:1rem}header h1{margin:0;font-size:1.4rem}header p{margin:.2rem 0;color:var(--muted)}
        section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}
        h2{margin:0 0 .6rem;font-size:1.15rem}h3{margin:.8rem 0 .3rem;font-size:.95rem;color:var(--muted)}
        dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;margin:0}
        dl div{border:1px solid var(--line);border-radius:6px;padding:.4rem .6rem}dt{font-size:.8rem;color:var(--muted)}dd{margin:0;font-weight:600}
        pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere;user-select:all;margin:.3rem 0}
        figure.chart{margin:0}svg{display:block;width:100%;height:auto}svg .bar{fill:var(--accent)}svg .area{fill:var(--accent);fill-opacity:.25;stroke:var(--accent);stroke-width:1.5}
        figcaption{display:flex;justify-content:space-between;gap:.5rem;font-size:.75rem;color:var(--muted)}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:right;padding:.25rem .4rem;border-bottom:1px solid var(--line)}
        th:first-child,td:first-child{text-align:left}.tag{font-size:.75rem;border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin-left:.4rem;color:var(--muted);font-weight:400}
        form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}input[type=password]{flex:1 1 16rem;padding:.4rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
        button{padding:.4rem .8rem;border:1px solid var(--accent);border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}.error{color:#c62828}.muted{color:var(--muted)}
        .table{overflow-x:auto}
        """;

    public static string Render(StatusPageModel model)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<link rel=\"icon\" href=\"data:,\"><title>Vega.Lite — status</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<header><h1>Vega.Lite</h1><p>A Nix binary cache, compatible with Attic. Figures as of ")
            .Append(Time(model.TakenAt.ToUnixTimeSeconds())).Append(".</p></header><main>");
        RenderAccess(html, model);
        RenderStorage(html, model);
        html.Append("<h2 id=\"caches\">Caches</h2>");
        if (model.Caches.Count == 0)
        {
            html.Append("<section><p class=\"muted\" id=\"no-caches\">No cache to show")
                .Append(model.Subject is null ? ": every cache here is private. Enter a token above to see yours." : " to this token.")
                .Append("</p></section>");
        }
        foreach (var card in model.Caches)
        {
            RenderCache(html, card, model.Today);
        }
        RenderGc(html, model.GcRuns);
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void RenderAccess(StringBuilder html, StatusPageModel model)
    {
        html.Append("<section id=\"access\"><h2>Access</h2>");
        if (model.Error is { } error)
        {
            html.Append("<p class=\"error\" id=\"token-error\">").Append(Encode(error)).Append("</p>");
        }
        if (model.Subject is { } subject)
        {
            html.Append("<p id=\"signed-in\">Showing the caches token <strong>").Append(Encode(subject)).Append("</strong> may read, and the public ones.</p>");
        }
        else
        {
            html.Append("<p>Showing the public caches. A token shows the private caches it may pull from too.</p>");
        }
        html.Append("<form method=\"post\" action=\"/\">");
        if (model.SignedIn)
        {
            html.Append("<button type=\"submit\" name=\"forget\" value=\"1\" id=\"forget\">Forget the token</button>");
        }
        else
        {
            html.Append("<input type=\"password\" name=\"token\" id=\"token\" autocomplete=\"off\" placeholder=\"A token (atticadm make-token)\" aria-label=\"Token\">")
                .Append("<button type=\"submit\" id=\"use-token\">Show my caches</button>");
        }
        html.Append("</form></section>");
    }

    private static void RenderStorage(StringBuilder html, StatusPageModel model)
    {
        var storage = model.Storage;
        html.Append("<section id=\"storage\"><h2>Storage</h2><dl>");
        Figure(html, "objects", "Store paths", storage.Objects, Count(storage.Objects));
        Figure(html, "nar-bytes", "NAR bytes", storage.NarBytes, Bytes(storage.NarBytes));
        Figure(html, "stored-bytes", "Stored bytes", storage.StoredBytes, Bytes(storage.StoredBytes));
        var saved = CacheStatistics.DeduplicatedFraction(storage.NarBytes, storage.ChunkBytes);
        Figure(html, "deduplicated", "Deduplication saved", saved, Percent(saved));
        html.Append("</dl><h3>Stored bytes, last ").Append(StatusPage.Days).Append(" days</h3>");
        SvgCharts.StoredBytes(html, model.StorageSamples, model.Today);
        html.Append("</section>");
    }

    private static void RenderCache(StringBuilder html, CacheCard card, long today)
    {
        var (cache, usage) = (card.Cache, card.Usage);
        var name = Encode(cache.Name);
        html.Append("<section class=\"cache\" id=\"cache-").Append(name).Append("\" data-cache=\"").Append(name).Append("\"><h2>")
            .Append(name).Append("<span class=\"tag\">").Append(cache.IsPublic ? "public" : "private").Append("</span></h2><dl>");
        Figure(html, "objects", "Store paths", usage.Objects, Count(usage.Objects));
        Figure(html, "nar-bytes", "NAR bytes", usage.NarBytes, Bytes(usage.NarBytes));
        Figure(html, "stored-bytes", "Stored bytes", usage.StoredBytes, Bytes(usage.StoredBytes));
        var saved = CacheStatistics.DeduplicatedFraction(usage.NarBytes, usage.ChunkBytes);
        Figure(html, "deduplicated", "Deduplication saved", saved, Percent(saved));
        html.Append("<div><dt>Last push</dt><dd data-metric=\"last-push\" data-value=\"")
            .Append(usage.LastPush?.ToString(CultureInfo.InvariantCulture) ?? "").Append("\">")
            .Append(usage.LastPush is { } last ? Time(last) : "never").Append("</dd></div></dl>");
        html.Append("<h3>Use it (nix.conf)</h3><pre class=\"nix-conf\">extra-substituters = ").Append(Encode(card.Substituter))
            .Append("\nextra-trusted-public-keys = ").Append(Encode(cache.Keypair.PublicKey.ToString())).Append("</pre>");
        if (!cache.IsPublic)
        {
            html.Append("<p class=\"muted\">Private: Nix needs the token too, as the password in a netrc file for this host.</p>");
        }
        html.Append("<h3>Paths pushed per day, last ").Append(StatusPage.Days).Append(" days</h3>");
        SvgCharts.PushesPerDay(html, card.PushesPerDay, today);
        html.Append("</section>");
    }

    private static void RenderGc(StringBuilder html, IReadOnlyList<GcRun> runs)
    {
        html.Append("<section id=\"gc\"><h2>Garbage collection</h2>");
        if (runs.Count == 0)
        {
            html.Append("<p class=\"muted\">No pass has run yet.</p></section>");
            return;
        }
        html.Append("<div class=\"table\"><table><thead><tr><th>Started</th><th>Took</th><th>Paths</th><th>NARs</th><th>Chunks</th><th>Freed</th><th>Lost chunks</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            html.Append("<tr><td>").Append(Time(run.StartedAt)).Append("</td><td>")
                .Append((run.DurationMs / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)).Append(" s</td><td>")
                .Append(Count(run.Objects)).Append("</td><td>").Append(Count(run.Nars)).Append("</td><td>").Append(Count(run.Chunks))
                .Append("</td><td>").Append(Bytes(run.FreedBytes)).Append("</td><td>").Append(Count(run.LostChunks)).Append("</td></tr>");
        }
        html.Append("</tbody></table></div></section>");
    }

    private static void Figure(StringBuilder html, string metric, string label, double value, string text) =>
        html.Append("<div><dt>").Append(label).Append("</dt><dd data-metric=\"").Append(metric).Append("\" data-value=\"")
            .Append(value.ToString("R", CultureInfo.InvariantCulture)).Append("\">").Append(text).Append("</dd></div>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Day(long unixDay) =>
        DateTimeOffset.FromUnixTimeSeconds(unixDay * 86400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
