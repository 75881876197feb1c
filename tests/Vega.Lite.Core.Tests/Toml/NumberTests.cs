using Vega.Lite.Core.Toml;
using Xunit;
using static Vega.Lite.Core.Tests.Toml.TomlAssert;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class NumberTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+99", 99L)]
    [InlineData("42", 42L)]
    [InlineData("-17", -17L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("1_000", 1000L)]
    [InlineData("5_349_221", 5349221L)]
    [InlineData("1_2_3_4_5", 12345L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void ReadsDecimalIntegers(string literal, long expected) => Assert.Equal(expected, Value<TomlInteger>(literal).Value);

    [Theory]
    [InlineData("0xDEADBEEF", 0xDEADBEEFL)]
    [InlineData("0xdeadbeef", 0xDEADBEEFL)]
    [InlineData("0xdead_beef", 0xDEADBEEFL)]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    [InlineData("0x00", 0L)]
    [InlineData("0o01234567", 342391L)]
    [InlineData("0o755", 493L)]
    [InlineData("0b11010110", 214L)]
    [InlineData("0b1_0", 2L)]
    public void ReadsPrefixedIntegers(string literal, long expected) => Assert.Equal(expected, Value<TomlInteger>(literal).Value);

    [Theory]
    [InlineData("+1.0", 1.0)]
    [InlineData("3.1415", 3.1415)]
    [InlineData("-0.01", -0.01)]
    [InlineData("5e+22", 5e+22)]
    [InlineData("1e06", 1e6)]
    [InlineData("-2E-2", -2e-2)]
    [InlineData("6.626e-34", 6.626e-34)]
    [InlineData("224_617.445_991_228", 224617.445991228)]
    [InlineData("1e1_0", 1e10)]
    [InlineData("0.0", 0.0)]
    [InlineData("0e0", 0.0)]
    public void ReadsFloats(string literal, double expected) => Assert.Equal(expected, Value<TomlFloat>(literal).Value);

    [Fact]
    public void ReadsSpecialFloats()
    {
        Assert.Equal(double.PositiveInfinity, Value<TomlFloat>("inf").Value);
        Assert.Equal(double.PositiveInfinity, Value<TomlFloat>("+inf").Value);
        Assert.Equal(double.NegativeInfinity, Value<TomlFloat>("-inf").Value);
        Assert.True(double.IsNaN(Value<TomlFloat>("nan").Value));
        Assert.True(double.IsNaN(Value<TomlFloat>("+nan").Value));
        Assert.True(double.IsNaN(Value<TomlFloat>("-nan").Value));
        Assert.True(double.IsNegative(Value<TomlFloat>("-0.0").Value));
    }

    [Fact]
    public void ReadsBooleans()
    {
        Assert.True(Value<TomlBoolean>("true").Value);
        Assert.False(Value<TomlBoolean>("false").Value);
    }

    [Theory]
    [InlineData("01", "leading zeros")]
    [InlineData("-007", "leading zeros")]
    [InlineData("0_0", "leading zeros")]
    [InlineData("01.5", "leading zeros")]
    [InlineData("1__000", "underscores only between digits")]
    [InlineData("_1", "strings must be quoted")]
    [InlineData("1_", "underscores only between digits")]
    [InlineData("9223372036854775808", "does not fit in 64 bits")]
    [InlineData("0x8000000000000000", "does not fit in 64 bits")]
    [InlineData("+0x1F", "sign is not allowed")]
    [InlineData("0X1F", "unexpected 'X'")]
    [InlineData("0x", "invalid base-16")]
    [InlineData("0b102", "invalid base-2")]
    [InlineData("0o8", "invalid base-8")]
    [InlineData("0x_1", "invalid base-16")]
    [InlineData("1.", "decimal point must be followed by digits")]
    [InlineData("1.e5", "decimal point must be followed by digits")]
    [InlineData("1e", "exponent must be followed by digits")]
    [InlineData("1e_5", "exponent must be followed by digits")]
    [InlineData("1.5_", "decimal point must be followed by digits")]
    [InlineData("1e400", "out of range")]
    [InlineData("12abc", "invalid number '12abc': unexpected 'a'")]
    [InlineData("infinity", "strings must be quoted")]
    [InlineData("True", "strings must be quoted")]
    [InlineData("bare", "strings must be quoted")]
    public void RejectsInvalidNumbersAndWords(string literal, string reason) => Error("v = " + literal, 1, reason, 5);

    [Fact]
    public void RejectsLeadingDecimalPoint() => Error("v = .5", 1, "invalid number '.5': expected digits", 5);
}
