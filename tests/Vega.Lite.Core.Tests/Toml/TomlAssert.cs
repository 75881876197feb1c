using Vega.Lite.Core.Toml;
using Xunit;

namespace Vega.Lite.Core.Tests.Toml;

/// <summary>Shared helpers for the TOML tests.</summary>
internal static class TomlAssert
{
    public const string Source = "test.toml";

    public static TomlTable Parse(string text) => TomlParser.Parse(text, Source);

    /// <summary>Parses <c>v = {valueText}</c> and returns the value.</summary>
    public static TomlValue Value(string valueText) => Parse("v = " + valueText)["v"];

    public static T Value<T>(string valueText) where T : TomlValue => Assert.IsType<T>(Value(valueText));

    public static string String(string valueText) => Value<TomlString>(valueText).Value;

    /// <summary>Asserts that parsing fails at <paramref name="line"/> (and column, when given) with a reason containing <paramref name="reason"/>.</summary>
    public static TomlException Error(string text, int line, string reason, int? column = null)
    {
        var ex = Assert.Throws<TomlException>(() => TomlParser.Parse(text, Source));
        Assert.Equal(line, ex.Line);
        if (column is { } c)
        {
            Assert.Equal(c, ex.Column);
        }

        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.Equal($"{Source}:{ex.Line}:{ex.Column}: {ex.Reason}", ex.Message);
        return ex;
    }
}
