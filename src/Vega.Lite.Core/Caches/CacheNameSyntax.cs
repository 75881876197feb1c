namespace Vega.Lite.Core.Caches;

/// <summary>
/// Character rules shared by cache names and cache-name patterns
/// (Attic <c>attic/src/cache.rs</c>: <c>^[A-Za-z0-9][A-Za-z0-9-_+]{0,49}$</c>).
/// </summary>
internal static class CacheNameSyntax
{
    public const int MaxLength = 50;

    public const char Wildcard = '*';

    public static bool IsAsciiAlphanumeric(char c) =>
        (uint)(c - 'a') <= 'z' - 'a' || (uint)(c - 'A') <= 'Z' - 'A' || (uint)(c - '0') <= '9' - '0';

    public static bool IsNameChar(char c) => IsAsciiAlphanumeric(c) || c is '-' or '_' or '+';

    /// <summary>Validates a name, or a pattern when <paramref name="allowWildcard"/> is set.</summary>
    public static bool IsValid(ReadOnlySpan<char> value, bool allowWildcard)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        char first = value[0];
        if (!IsAsciiAlphanumeric(first) && !(allowWildcard && first == Wildcard))
        {
            return false;
        }

        for (int i = 1; i < value.Length; i++)
        {
            char c = value[i];
            if (!IsNameChar(c) && !(allowWildcard && c == Wildcard))
            {
                return false;
            }
        }

        return true;
    }
}
