using Vega.Lite.Api;

namespace Vega.Lite.Tests.Api;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=300-", 752, 300, 751)]      // what Nix sends to resume
    [InlineData("bytes=0-0", 752, 0, 0)]
    [InlineData("bytes=10-20", 752, 10, 20)]
    [InlineData("bytes=700-9999", 752, 700, 751)]  // an end past the last byte is clamped
    [InlineData("bytes=-52", 752, 700, 751)]       // suffix: the last 52 bytes
    [InlineData("bytes=-9999", 752, 0, 751)]
    [InlineData("bytes=-9223372036854775808", 752, 0, 751)]  // a suffix past long's range: the whole body
    [InlineData("BYTES=5-", 752, 5, 751)]
    public void Satisfiable_ranges(string header, long total, long start, long end)
    {
        var range = ByteRange.Parse(header, total, out var unsatisfiable);
        Assert.False(unsatisfiable);
        Assert.Equal(new ByteRange(start, end), range);
    }

    [Theory]
    [InlineData("bytes=752-", 752)]
    [InlineData("bytes=0-", 0)]
    [InlineData("bytes=-0", 752)]
    [InlineData("bytes=9223372036854775807-", 752)]
    public void Ranges_past_the_end_are_unsatisfiable(string header, long total)
    {
        Assert.Null(ByteRange.Parse(header, total, out var unsatisfiable));
        Assert.True(unsatisfiable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("items=0-5")]
    [InlineData("bytes=0-5,10-20")]  // multi-range: the whole body instead
    [InlineData("bytes=abc-")]
    [InlineData("bytes=20-10")]
    [InlineData("bytes=5")]
    [InlineData("bytes=--1")]  // a negative suffix is malformed, not unsatisfiable
    [InlineData("bytes=-")]
    [InlineData("bytes=- 5x")]
    public void Other_headers_mean_the_whole_body(string? header)
    {
        Assert.Null(ByteRange.Parse(header, 752, out var unsatisfiable));
        Assert.False(unsatisfiable);
    }
}
