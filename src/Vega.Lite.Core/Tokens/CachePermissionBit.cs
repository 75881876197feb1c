namespace Vega.Lite.Core.Tokens;

/// <summary>
/// The seven permission bits of Attic's <c>CachePermission</c>, in make-token flag order.
/// </summary>
public enum CachePermissionBit
{
    /// <summary><c>r</c> / <c>--pull</c>.</summary>
    Pull,

    /// <summary><c>w</c> / <c>--push</c>.</summary>
    Push,

    /// <summary><c>d</c> / <c>--delete</c>.</summary>
    Delete,

    /// <summary><c>cc</c> / <c>--create-cache</c>.</summary>
    CreateCache,

    /// <summary><c>cr</c> / <c>--configure-cache</c>.</summary>
    ConfigureCache,

    /// <summary><c>cq</c> / <c>--configure-cache-retention</c>.</summary>
    ConfigureCacheRetention,

    /// <summary><c>cd</c> / <c>--destroy-cache</c>.</summary>
    DestroyCache,
}
