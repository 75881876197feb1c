using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Inputs of <c>atticadm make-token</c> (<c>server/src/adm/command/make_token.rs</c>): subject, validity and
/// one pattern list per permission flag. See <see cref="TokenClaims.ForMakeToken"/>.
/// </summary>
public sealed class MakeTokenRequest
{
    /// <summary><c>--sub</c>.</summary>
    public required string Subject { get; init; }

    /// <summary><c>--validity</c> (already parsed; humantime parsing is the CLI's job).</summary>
    public required TimeSpan Validity { get; init; }

    /// <summary><c>--pull</c> patterns, in command-line order.</summary>
    public IReadOnlyList<CacheNamePattern> Pull { get; init; } = [];

    /// <summary><c>--push</c> patterns.</summary>
    public IReadOnlyList<CacheNamePattern> Push { get; init; } = [];

    /// <summary><c>--delete</c> patterns.</summary>
    public IReadOnlyList<CacheNamePattern> Delete { get; init; } = [];

    /// <summary><c>--create-cache</c> patterns.</summary>
    public IReadOnlyList<CacheNamePattern> CreateCache { get; init; } = [];

    /// <summary><c>--configure-cache</c> patterns.</summary>
    public IReadOnlyList<CacheNamePattern> ConfigureCache { get; init; } = [];

    /// <summary><c>--configure-cache-retention</c> patterns.</summary>
    public IReadOnlyList<CacheNamePattern> ConfigureCacheRetention { get; init; } = [];

    /// <summary><c>--destroy-cache</c> patterns.</summary>
    public IReadOnlyList<CacheNamePattern> DestroyCache { get; init; } = [];

    /// <summary>The pattern list of one flag; make-token processes flags in <see cref="CachePermissionBit"/> order.</summary>
    public IReadOnlyList<CacheNamePattern> PatternsFor(CachePermissionBit bit) => bit switch
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
