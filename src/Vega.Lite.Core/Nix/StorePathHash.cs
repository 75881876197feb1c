namespace Vega.Lite.Core.Nix;

/// <summary>The 32-character nix32 hash part of a store path (<c>/nix/store/&lt;hash&gt;-name</c>).</summary>
public static class StorePathHash
{
    /// <summary>Length of a store path hash part.</summary>
    public const int Length = 32;

    /// <summary>
    /// True when <paramref name="hash"/> is exactly 32 nix32 characters (lowercase; e, o, u, t excluded).
    /// Check this before using a hash as a database key.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> hash) =>
        hash.Length == Length && !hash.ContainsAnyExcept(Nix32.ValidChars);
}
