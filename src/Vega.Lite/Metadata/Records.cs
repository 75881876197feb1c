using Vega.Lite.Core.Nix;

namespace Vega.Lite.Metadata;

/// <summary>A live (not deleted) cache row, its keypair already parsed.</summary>
internal sealed record CacheRecord(
    long Id,
    string Name,
    NixKeypair Keypair,
    bool IsPublic,
    string StoreDir,
    int Priority,
    IReadOnlyList<string> UpstreamCacheKeyNames,
    long? RetentionPeriod);

/// <summary>What a new cache row holds.</summary>
internal sealed record NewCache(
    string Name,
    NixKeypair Keypair,
    bool IsPublic,
    string StoreDir,
    int Priority,
    IReadOnlyList<string> UpstreamCacheKeyNames);

/// <summary>A store path in a cache joined with its valid NAR: everything a narinfo is made of.</summary>
internal sealed record StoredObject(
    string StorePathHash,
    string StorePath,
    IReadOnlyList<string> References,
    string? Deriver,
    string? Ca,
    string NarHash,
    long NarSize,
    string Compression,
    long NarId);

/// <summary>Where each chunk of a NAR lives, in order; a null key is a chunk that is gone.</summary>
internal sealed record NarChunks(long NarId, string Compression, IReadOnlyList<ChunkLocation> Chunks)
{
    public bool IsComplete => Chunks.All(c => c.BlobKey is not null);

    public long? TotalFileSize => IsComplete && Chunks.All(c => c.FileSize is not null) ? Chunks.Sum(c => c.FileSize!.Value) : null;
}

internal sealed record ChunkLocation(string? BlobKey, long? FileSize);

/// <summary>A NAR already stored (state V, no missing chunk), found by its hash for dedup.</summary>
internal sealed record ExistingNar(long Id, long NarSize, string Compression);

/// <summary>A freshly stored NAR of one chunk, ready to be recorded.</summary>
internal sealed record StoredNar(
    string NarHash,
    long NarSize,
    string Compression,
    string FileHash,
    long FileSize,
    string BlobKey);

/// <summary>The per-cache metadata of a store path, as uploaded.</summary>
internal sealed record ObjectMetadata(
    string StorePathHash,
    string StorePath,
    IReadOnlyList<string> References,
    string? Deriver,
    IReadOnlyList<string> Sigs,
    string? Ca,
    string? CreatedBy);

/// <summary>A configure (PATCH) of a cache: null fields stay as they are.</summary>
internal sealed record CacheUpdate(
    NixKeypair? Keypair,
    bool? IsPublic,
    string? StoreDir,
    int? Priority,
    IReadOnlyList<string>? UpstreamCacheKeyNames,
    RetentionUpdate? RetentionPeriod);

/// <summary>A new retention period: seconds, or null for the server's global default.</summary>
internal sealed record RetentionUpdate(long? Seconds);
