namespace Vega.Lite.Storage;

/// <summary>
/// Blob keys are <c>&lt;uuid&gt;.chunk</c>, as in Attic: generated here, validated before any path is built. NARs an
/// atticd stored before chunking (January 2023) became chunks named <c>&lt;uuid&gt;.nar</c>; those are read and
/// deleted, never generated.
/// </summary>
internal static class BlobKey
{
    private const string Suffix = ".chunk";
    private const string PreChunkingSuffix = ".nar";
    private const int UuidLength = 36;

    public static string New() => Guid.NewGuid().ToString("D") + Suffix;

    /// <summary>True only for a lowercase UUID followed by <c>.chunk</c> or <c>.nar</c>: no separators, no other dots, no traversal.</summary>
    public static bool IsValid(string key) =>
        (key.Length == UuidLength + Suffix.Length && key.EndsWith(Suffix, StringComparison.Ordinal)
            || key.Length == UuidLength + PreChunkingSuffix.Length && key.EndsWith(PreChunkingSuffix, StringComparison.Ordinal))
        && !key.AsSpan(0, UuidLength).ContainsAnyExcept("0123456789abcdef-")
        && Guid.TryParseExact(key.AsSpan(0, UuidLength), "D", out _);

    /// <summary>The key itself if <see cref="IsValid"/>; storage calls this before using a key in a path or a request.</summary>
    public static string Validated(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"invalid blob key \"{key}\"", nameof(key));
}
