using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Caches;

/// <summary>
/// A cache-name pattern as used for token claim keys and <c>atticadm make-token</c> flags
/// (Attic <c>attic/src/cache.rs</c>): regex <c>^[A-Za-z0-9*][A-Za-z0-9-_+*]{0,49}$</c>.
/// <c>*</c> matches any run of characters, including an empty one. Equality is ordinal on <see cref="Pattern"/>.
/// </summary>
public sealed class CacheNamePattern : IEquatable<CacheNamePattern>
{
    private CacheNamePattern(string pattern)
    {
        Pattern = pattern;
        HasWildcard = pattern.Contains(CacheNameSyntax.Wildcard, StringComparison.Ordinal);
    }

    /// <summary>The pattern text.</summary>
    public string Pattern { get; }

    /// <summary>Whether the pattern contains at least one <c>*</c>.</summary>
    public bool HasWildcard { get; }

    /// <summary>Parses a pattern; returns false (and null) when it is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? pattern, [NotNullWhen(true)] out CacheNamePattern? result)
    {
        if (pattern is not null && CacheNameSyntax.IsValid(pattern, allowWildcard: true))
        {
            result = new CacheNamePattern(pattern);
            return true;
        }

        result = null;
        return false;
    }

    /// <summary>Parses a pattern or throws <see cref="ArgumentException"/>.</summary>
    public static CacheNamePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return TryParse(pattern, out CacheNamePattern? result)
            ? result
            : throw new ArgumentException(
                $"Invalid cache name pattern '{pattern}': 1-50 characters from A-Z a-z 0-9 - _ + *, starting with a letter, digit or '*'.",
                nameof(pattern));
    }

    /// <summary>
    /// Tests the pattern against a cache name (ordinal, case-sensitive). The name itself is not validated.
    /// </summary>
    public bool Matches(string cacheName)
    {
        ArgumentNullException.ThrowIfNull(cacheName);
        return HasWildcard
            ? WildcardMatcher.IsMatch(Pattern, cacheName)
            : string.Equals(Pattern, cacheName, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public bool Equals(CacheNamePattern? other) =>
        other is not null && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CacheNamePattern);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Pattern);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
