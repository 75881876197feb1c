namespace Vega.Lite.Metadata;

/// <summary>
/// What a committed write changed, as the message every server process is told (on PostgreSQL, a notification on
/// <see cref="Channel"/> sent inside the writing transaction, so it arrives only if and when that commits): one store
/// path (<c>p:&lt;hash&gt;</c>), one cache's row (<c>c:&lt;name&gt;</c>), the revoked tokens (<c>r:</c>), or anything
/// (<c>*</c>: paths expired or a NAR lost or regained a chunk). docs/attic-database.md §5 says who sends which.
/// </summary>
internal readonly record struct CacheChange(CacheChangeKind Kind, string Name)
{
    public const string Channel = "vega_invalidate";

    public static CacheChange Everything { get; } = new(CacheChangeKind.Everything, "");

    public static CacheChange Path(string storePathHash) => new(CacheChangeKind.Path, storePathHash);

    public static CacheChange Cache(string name) => new(CacheChangeKind.Cache, name);

    public static CacheChange Revocations { get; } = new(CacheChangeKind.Revocations, "");

    public string Payload => Kind switch
    {
        CacheChangeKind.Path => "p:" + Name,
        CacheChangeKind.Cache => "c:" + Name,
        CacheChangeKind.Revocations => "r:",
        _ => "*",
    };

    /// <summary>A message this version cannot read (a newer one's) counts as a change to anything.</summary>
    public static CacheChange Parse(string payload) => payload switch
    {
        ['p', ':', .. var hash] when hash.Length > 0 => Path(hash),
        ['c', ':', .. var name] when name.Length > 0 => Cache(name),
        "r:" => Revocations,
        _ => Everything,
    };
}

internal enum CacheChangeKind
{
    Everything,
    Path,
    Cache,
    Revocations,
}
