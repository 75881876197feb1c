using Vega.Lite.Core.Toml;
using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class DateTimeTests
{
    [Theory]
    [InlineData("1979-05-27T07:32:00Z", TomlDateTimeKind.OffsetDateTime)]
    [InlineData("1979-05-27T00:32:00-07:00", TomlDateTimeKind.OffsetDateTime)]
    [InlineData("1979-05-27T00:32:00.999999+05:30", TomlDateTimeKind.OffsetDateTime)]
    [InlineData("1979-05-27 07:32:00Z", TomlDateTimeKind.OffsetDateTime)]
    [InlineData("1979-05-27t07:32:00z", TomlDateTimeKind.OffsetDateTime)]
    [InlineData("1979-05-27T07:32:00", TomlDateTimeKind.LocalDateTime)]
    [InlineData("1979-05-27 00:32:00.999999", TomlDateTimeKind.LocalDateTime)]
    [InlineData("1979-05-27", TomlDateTimeKind.LocalDate)]
    [InlineData("2024-02-29", TomlDateTimeKind.LocalDate)]
    [InlineData("07:32:00", TomlDateTimeKind.LocalTime)]
    [InlineData("00:32:00.999999", TomlDateTimeKind.LocalTime)]
    [InlineData("23:59:60", TomlDateTimeKind.LocalTime)]
    public void KeepsDateTimesRaw(string literal, TomlDateTimeKind kind)
    {
        var value = Value<TomlDateTime>(literal);
        Assert.Equal(literal, value.Raw);
        Assert.Equal(kind, value.Kind);
    }

    [Fact]
    public void DateFollowedByCommentIsADate()
    {
        var root = Parse("d = 1979-05-27 # birthday\nt = 1979-05-27 07:32:00");
        Assert.Equal("1979-05-27", Assert.IsType<TomlDateTime>(root["d"]).Raw);
        Assert.Equal("1979-05-27 07:32:00", Assert.IsType<TomlDateTime>(root["t"]).Raw);
    }

    [Fact]
    public void DateTimesWorkInsideArrays()
    {
        var array = Value<TomlArray>("[1979-05-27 07:32:00Z, 07:32:00,1979-05-27]");
        Assert.Equal(["1979-05-27 07:32:00Z", "07:32:00", "1979-05-27"], array.Items.Select(i => Assert.IsType<TomlDateTime>(i).Raw));
    }

    [Theory]
    [InlineData("1979-13-01", "month")]
    [InlineData("1979-02-29", "day is out of range")]
    [InlineData("1979-04-31", "day is out of range")]
    [InlineData("1979-05-00", "day is out of range")]
    [InlineData("1979-5-27", "YYYY-MM-DD")]
    [InlineData("1979-05-27T25:00:00", "time is out of range")]
    [InlineData("1979-05-27T07:32", "HH:MM:SS")]
    [InlineData("07:32", "HH:MM:SS")]
    [InlineData("07:32:00Z", "unexpected text after the time")]
    [InlineData("1979-05-27T07:32:00.", "digits after the decimal point")]
    [InlineData("1979-05-27T07:32:00+7:00", "time offset")]
    [InlineData("1979-05-27T07:32:00+24:00", "time offset is out of range")]
    [InlineData("1979-05-27X07:32:00", "'T' or a space")]
    public void RejectsInvalidDateTimes(string literal, string reason) => Error("v = " + literal, 1, reason, 5);
}
