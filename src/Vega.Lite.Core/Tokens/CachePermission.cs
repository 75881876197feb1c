namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Permission bits granted to one cache (Attic <c>token/src/lib.rs</c>, <c>CachePermission</c>).
/// JSON keys: r, w, d, cc, cr, cq, cd.
/// </summary>
public readonly record struct CachePermission(
    bool Pull,
    bool Push,
    bool Delete,
    bool CreateCache,
    bool ConfigureCache,
    bool ConfigureCacheRetention,
    bool DestroyCache)
{
    /// <summary>All bits false.</summary>
    public static CachePermission None => default;

    /// <summary>
    /// Any bit set means the caller may learn whether the cache exists (404 vs 401, 403 vs 401).
    /// </summary>
    public bool CanDiscover =>
        Pull || Push || Delete || CreateCache || ConfigureCache || ConfigureCacheRetention || DestroyCache;

    /// <summary>Copy with <see cref="Pull"/> set (the implicit grant of a public cache).</summary>
    public CachePermission WithPull() => this with { Pull = true };

    /// <summary>Copy with the given bit set.</summary>
    public CachePermission With(CachePermissionBit bit) => bit switch
    {
        CachePermissionBit.Pull => this with { Pull = true },
        CachePermissionBit.Push => this with { Push = true },
        CachePermissionBit.Delete => this with { Delete = true },
        CachePermissionBit.CreateCache => this with { CreateCache = true },
        CachePermissionBit.ConfigureCache => this with { ConfigureCache = true },
        CachePermissionBit.ConfigureCacheRetention => this with { ConfigureCacheRetention = true },
        CachePermissionBit.DestroyCache => this with { DestroyCache = true },
        _ => throw new ArgumentOutOfRangeException(nameof(bit), bit, "Unknown permission bit."),
    };

    /// <summary>Whether the given bit is set.</summary>
    public bool Has(CachePermissionBit bit) => bit switch
    {
        CachePermissionBit.Pull => Pull,
        CachePermissionBit.Push => Push,
        CachePermissionBit.Delete => Delete,
        CachePermissionBit.CreateCache => CreateCache,
        CachePermissionBit.ConfigureCache => ConfigureCache,
        CachePermissionBit.ConfigureCacheRetention => ConfigureCacheRetention,
        CachePermissionBit.DestroyCache => DestroyCache,
        _ => throw new ArgumentOutOfRangeException(nameof(bit), bit, "Unknown permission bit."),
    };
}
