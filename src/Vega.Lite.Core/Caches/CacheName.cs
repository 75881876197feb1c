namespace Vega.Lite.Core.Caches;

/// <summary>
/// Cache name rules (Attic <c>attic/src/cache.rs</c>): 1–50 ASCII characters, the first
/// alphanumeric, the rest alphanumeric, <c>-</c>, <c>_</c> or <c>+</c>.
/// Equivalent to the regex <c>^[A-Za-z0-9][A-Za-z0-9-_+]{0,49}$</c>.
/// </summary>
public static class CacheName
{
    /// <summary>Maximum length of a cache name (and of a pattern).</summary>
    public const int MaxLength = CacheNameSyntax.MaxLength;

    /// <summary>Returns whether <paramref name="name"/> is a valid cache name. Allocation-free.</summary>
    public static bool IsValid(ReadOnlySpan<char> name) => CacheNameSyntax.IsValid(name, allowWildcard: false);
}
