namespace Vega.Lite.Core.Tokens;

/// <summary>JSON keys of the permission bits, in Attic's serialization order.</summary>
internal static class PermissionJsonKeys
{
    /// <summary>Keys indexed by <see cref="CachePermissionBit"/>.</summary>
    public static readonly string[] ByBit = ["r", "w", "d", "cc", "cr", "cq", "cd"];

    /// <summary>All bits in make-token processing order.</summary>
    public static readonly CachePermissionBit[] AllBits =
    [
        CachePermissionBit.Pull,
        CachePermissionBit.Push,
        CachePermissionBit.Delete,
        CachePermissionBit.CreateCache,
        CachePermissionBit.ConfigureCache,
        CachePermissionBit.ConfigureCacheRetention,
        CachePermissionBit.DestroyCache,
    ];

    public static bool TryGetBit(string key, out CachePermissionBit bit)
    {
        int index = Array.IndexOf(ByBit, key);
        bit = (CachePermissionBit)index;
        return index >= 0;
    }
}
