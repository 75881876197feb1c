using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// The narinfo a cache serves for a stored path: our URL and compression, the uploader's metadata, and exactly one
/// signature, the cache's own, over the Nix fingerprint (client signatures are stored, not served, as in Attic).
/// </summary>
internal static class ServedNarInfo
{
    public static byte[] Render(CacheRecord cache, StoredObject stored)
    {
        if (!NixHash.TryParse(stored.NarHash, out var narHash, out var error))
        {
            throw new InvalidDataException($"stored NAR hash \"{stored.NarHash}\" is invalid: {error}");
        }
        var fingerprint = NarInfo.ComputeFingerprint(stored.StorePath, narHash, stored.NarSize, stored.References);
        return new NarInfo
        {
            StorePath = stored.StorePath,
            Url = $"nar/{stored.StorePathHash}.nar",
            Compression = stored.Compression,
            NarHash = narHash,
            NarSize = stored.NarSize,
            References = stored.References,
            Deriver = stored.Deriver,
            Ca = stored.Ca,
            Sigs = [cache.Keypair.SignFingerprint(fingerprint)],
        }.RenderUtf8();
    }
}
