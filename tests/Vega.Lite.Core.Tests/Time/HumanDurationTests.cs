using Vega.Lite.Core.Time;

namespace Vega.Lite.Core.Tests.Time;

public sealed class HumanDurationTests
{
    private const long Month = 2_630_016;
    private const long Year = 31_557_600;

    [Theory]
    [InlineData("2y", 2 * Year)]
    [InlineData("3 months", 3 * Month)]
    [InlineData("1 month", Month)]
    [InlineData("6 months", 6 * Month)]
    [InlineData("12 hours", 12 * 3600L)]
    [InlineData("1h 30m", 5400L)]
    [InlineData("1s", 1L)]
    [InlineData("0s", 0L)]
    [InlineData("1 day", 86_400L)]
    [InlineData("2weeks 3days", (14 + 3) * 86_400L)]
    [InlineData("2h 37min", 9420L)]
    [InlineData("2h 15m", 8100L)]
    [InlineData("1h30m", 5400L)]
    [InlineData("15days 2min 2s", (15 * 86_400L) + 122)]
    [InlineData("  1 h  ", 3600L)]
    [InlineData("1d 1d", 2 * 86_400L)]
    public void ParsesAtticStyleDurations(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), HumanDuration.Parse(text));

    [Theory]
    [InlineData("3000s", 3000L)]
    [InlineData("300sec", 300L)]
    [InlineData("300secs", 300L)]
    [InlineData("50seconds", 50L)]
    [InlineData("1second", 1L)]
    [InlineData("100m", 6000L)]
    [InlineData("12min", 720L)]
    [InlineData("12mins", 720L)]
    [InlineData("1minute", 60L)]
    [InlineData("7minutes", 420L)]
    [InlineData("2h", 7200L)]
    [InlineData("7hr", 25_200L)]
    [InlineData("7hrs", 25_200L)]
    [InlineData("1hour", 3600L)]
    [InlineData("24hours", 86_400L)]
    [InlineData("1day", 86_400L)]
    [InlineData("2days", 172_800L)]
    [InlineData("365d", 31_536_000L)]
    [InlineData("1week", 604_800L)]
    [InlineData("7weeks", 4_233_600L)]
    [InlineData("52w", 31_449_600L)]
    [InlineData("1month", Month)]
    [InlineData("3months", 3 * Month)]
    [InlineData("12M", 31_560_192L)]
    [InlineData("1year", Year)]
    [InlineData("7years", 7 * Year)]
    [InlineData("17y", 536_479_200L)]
    public void ParsesEverySecondOrLargerUnit(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), HumanDuration.Parse(text));

    [Theory]
    [InlineData("17nsec", 0L)] // below TimeSpan's 100 ns resolution: truncated
    [InlineData("150ns", 1L)]
    [InlineData("1700nanos", 17L)]
    [InlineData("3usec", 30L)]
    [InlineData("78us", 780L)]
    [InlineData("163µs", 1630L)]
    [InlineData("31msec", 310_000L)]
    [InlineData("31millis", 310_000L)]
    [InlineData("6ms", 60_000L)]
    [InlineData("1s 500ms", 15_000_000L)]
    [InlineData("999ms 1000ms", 19_990_000L)]
    [InlineData("20 min 17 nsec ", 12_000_000_000L)]
    public void ParsesSubSecondUnitsToTicks(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), HumanDuration.Parse(text));

    [Fact]
    public void MonthIsDistinctFromMinuteByCase()
    {
        Assert.Equal(TimeSpan.FromSeconds(Month), HumanDuration.Parse("1M"));
        Assert.Equal(TimeSpan.FromMinutes(1), HumanDuration.Parse("1m"));
    }

    [Fact]
    public void WhitespaceInsideANumberIsSkippedLikeHumantime() =>
        Assert.Equal(TimeSpan.FromSeconds(12), HumanDuration.Parse("1 2s"));

    [Theory]
    [InlineData("2 fortnights", "unknown time unit \"fortnights\" in \"2 fortnights\"")]
    [InlineData("1H", "unknown time unit \"H\" in \"1H\"")]
    [InlineData("5 Hours", "unknown time unit \"Hours\"")]
    [InlineData("3 mon", "unknown time unit \"mon\"")]
    [InlineData("12", "time unit needed, for example 12sec or 12ms, in \"12\"")]
    [InlineData("1h 30", "time unit needed, for example 30sec or 30ms")]
    [InlineData("", "value was empty")]
    [InlineData("   ", "value was empty")]
    [InlineData("hours", "expected a number at position 0 in \"hours\"")]
    [InlineData("2 hours min", "expected a number at position 8 in \"2 hours min\"")]
    [InlineData("-1h", "expected a number at position 0")]
    [InlineData("1.5h", "invalid character '.' at position 1 in \"1.5h\"")]
    [InlineData("1h,2m", "invalid character ',' at position 2")]
    [InlineData("1hé", "invalid character 'é' at position 2")]
    [InlineData("100000000000000000000s", "number is too large")]
    [InlineData("10000000000000000000m", "number is too large")]
    [InlineData("1000000000000000M", "number is too large")]
    [InlineData("100000000000000ms", "number is too large")]
    [InlineData("30000y", "is too large")] // fits humantime's u64 but not TimeSpan
    public void RejectsInvalidDurations(string text, string message)
    {
        Assert.False(HumanDuration.TryParse(text, out var value, out var error));
        Assert.Equal(TimeSpan.Zero, value);
        Assert.Contains(message, error, StringComparison.Ordinal);

        var ex = Assert.Throws<FormatException>(() => HumanDuration.Parse(text));
        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void UnknownUnitMessageListsSupportedUnits()
    {
        var ex = Assert.Throws<FormatException>(() => HumanDuration.Parse("2 fortnights"));
        Assert.StartsWith("unknown time unit \"fortnights\" in \"2 fortnights\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("months", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSucceedsWithoutError()
    {
        Assert.True(HumanDuration.TryParse("12 hours", out var value, out var error));
        Assert.Equal(TimeSpan.FromHours(12), value);
        Assert.Null(error);
    }

    [Fact]
    public void NullInput()
    {
        Assert.Throws<ArgumentNullException>(() => HumanDuration.Parse(null!));
        Assert.False(HumanDuration.TryParse(null!, out _, out var error));
        Assert.Equal("value was empty", error);
    }

    [Fact]
    public void LargestDurationsThatFitATimeSpan()
    {
        Assert.Equal(TimeSpan.FromSeconds(29_000 * Year), HumanDuration.Parse("29000y"));
        Assert.Equal(TimeSpan.FromDays(10_675_199), HumanDuration.Parse("10675199d"));
    }
}
