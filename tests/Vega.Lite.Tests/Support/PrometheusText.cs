using System.Globalization;
using System.Text.RegularExpressions;

namespace Vega.Lite.Tests.Support;

/// <summary>Samples of a Prometheus text exposition, by metric name and labels, for the metrics tests.</summary>
public sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public PrometheusText(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The sum over every sample of <paramref name="name"/> whose labels include <paramref name="labels"/> (name=value).</summary>
    public double Sum(string name, params string[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    /// <summary>The one sample of <paramref name="name"/> with these labels; fails when there is none or several.</summary>
    public double Single(string name, params string[] labels)
    {
        var found = Matching(name, labels).ToList();
        Assert.True(found.Count == 1, $"{found.Count} samples of {name} {{{string.Join(',', labels)}}}");
        return found[0].Value;
    }

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l =>
        {
            var (key, value) = (l[..l.IndexOf('=')], l[(l.IndexOf('=') + 1)..]);
            return s.Labels.TryGetValue(key, out var actual) && actual == value;
        }));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""")]
    private static partial Regex Label();
}
