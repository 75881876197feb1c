namespace Vega.Lite.E2E.Support;

/// <summary>
/// One call for "an atticd deployment (L1 or L2) with a cache holding a real closure of N paths in mixed layouts":
/// the database, storage, server.toml and the key to trust, for a test that starts a server on them and substitutes
/// every path into a real Nix store.
/// </summary>
public sealed record AtticDeployment(
    AtticFixture Fixture, AtticCache Cache, IReadOnlyList<AtticPath> Paths, IReadOnlyList<NixStorePath> StorePaths, string ServerToml)
{
    public string Directory => Fixture.Directory;
    public string DatabasePath => Fixture.DatabasePath;
    public string StoragePath => Fixture.StoragePath;

    /// <summary>The cache's public key, <c>name:base64(32 bytes)</c>, for <c>trusted-public-keys</c>.</summary>
    public string PublicKey => Cache.PublicKey;

    /// <summary>The path whose closure is every path here; substituting it substitutes them all.</summary>
    public string Top => StorePaths[^1].Path;

    /// <summary>
    /// Builds <paramref name="paths"/> (≥ 3) new store paths with <see cref="NixStorePaths.BuildChainAsync"/> and lays
    /// them out in <paramref name="directory"/> as atticd at <paramref name="level"/> would have them in a cache named
    /// <paramref name="cacheName"/>: the paths before the last two cycle through <see cref="AtticLayout.SingleFileXz"/>
    /// (added first, being the oldest), <see cref="AtticLayout.SingleChunkZstd"/> and <c>ChunkedZstd(3)</c>; the last two
    /// are chunked around their common file so that both NARs refer to one shared chunk. Every other path has
    /// last_accessed_at set. The paths stay in the local store: substitute them into a fresh one
    /// (<c>nix copy --from URL --to DIR</c>, as NixCopyTests does).
    /// </summary>
    public static async Task<AtticDeployment> CreateAsync(
        NixEnvironment nix, string directory, AtticLevel level, AtticEra era = AtticEra.SeaQuery030, int paths = 6,
        string cacheName = "old", bool isPublic = true, int priority = 41)
    {
        var built = await NixStorePaths.BuildChainAsync(nix, paths);
        var storePaths = await NixStorePaths.ReadAsync(nix, built);
        var fixture = AtticFixture.Create(directory, level, era);
        var cache = fixture.AddCache(cacheName, isPublic, await NixStorePaths.GenerateKeypairAsync(nix, $"{cacheName}-1"), priority);

        var layouts = storePaths.Select((path, i) => i >= paths - 2
            ? ChunkedAroundSharedFile(path.Nar)
            : (i % 3) switch { 0 => AtticLayout.SingleFileXz, 1 => AtticLayout.SingleChunkZstd, _ => AtticLayout.ChunkedZstd(3) }).ToArray();
        var added = new AtticPath?[paths];
        foreach (var i in Enumerable.Range(0, paths).OrderBy(i => layouts[i] == AtticLayout.SingleFileXz ? 0 : 1))
        {
            var path = storePaths[i];
            added[i] = fixture.AddPath(cache, path.Path, path.Nar, path.References, layouts[i],
                ca: path.Ca, sigs: path.Signatures, accessed: i % 2 == 0);
        }
        return new AtticDeployment(fixture, cache, added.Select(p => p!).ToArray(), storePaths, fixture.WriteServerToml());
    }

    /// <summary>Three pieces: before, exactly over, and after the NAR's copy of <see cref="NixStorePaths.SharedFileContent"/>.</summary>
    public static AtticLayout ChunkedAroundSharedFile(byte[] nar)
    {
        var start = nar.AsSpan().IndexOf(NixStorePaths.SharedFileContent);
        if (start < 0)
        {
            throw new ArgumentException("the NAR does not hold the shared file");
        }
        return AtticLayout.ChunkedZstdAt(start, start + NixStorePaths.SharedFileContent.Length);
    }
}
