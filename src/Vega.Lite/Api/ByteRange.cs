using System.Globalization;

namespace Vega.Lite.Api;

/// <summary>
/// A single <c>Range: bytes=…</c> request (what Nix sends to resume: <c>bytes=N-</c>). Multi-range requests are
/// answered with the whole body, which RFC 9110 allows.
/// </summary>
internal readonly record struct ByteRange(long Start, long End)
{
    public long Length => End - Start + 1;

    /// <summary>
    /// Null when there is no usable Range header (serve 200); <paramref name="unsatisfiable"/> when it asks for
    /// bytes past the end (serve 416).
    /// </summary>
    public static ByteRange? Parse(string? header, long totalLength, out bool unsatisfiable)
    {
        unsatisfiable = false;
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(','))
        {
            return null;
        }
        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            // Suffix range: the last N bytes. Not digits: the header is malformed and ignored (RFC 9110 §14.2);
            // more digits than a long holds asks for more than any NAR has, which is the whole body.
            if (last.IsEmpty || last.ContainsAnyExceptInRange('0', '9'))
            {
                return null;
            }
            var suffix = long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
            return suffix == 0 || totalLength == 0
                ? Unsatisfiable(out unsatisfiable)
                : new ByteRange(Math.Max(0, totalLength - suffix), totalLength - 1);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }
        var end = totalLength - 1;
        if (!last.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return null;
            }
            end = Math.Min(end, totalLength - 1);
        }
        return start >= totalLength ? Unsatisfiable(out unsatisfiable) : new ByteRange(start, end);
    }

    private static ByteRange? Unsatisfiable(out bool unsatisfiable)
    {
        unsatisfiable = true;
        return null;
    }
}
