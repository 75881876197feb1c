namespace Vega.Lite.Core.Caches;

/// <summary>
/// Glob matching where <c>*</c> matches any run of characters, including an empty one
/// (the subset of the <c>wildmatch</c> crate that cache-name patterns can express).
/// Matching is ordinal and case-sensitive. Linear-time greedy algorithm with single backtrack point.
/// </summary>
internal static class WildcardMatcher
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0;
        int t = 0;
        int starPattern = -1;
        int starText = 0;

        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == CacheNameSyntax.Wildcard)
            {
                starPattern = p++;
                starText = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (starPattern >= 0)
            {
                p = starPattern + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == CacheNameSyntax.Wildcard)
        {
            p++;
        }

        return p == pattern.Length;
    }
}
