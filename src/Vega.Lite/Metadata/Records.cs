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

/// <summary>One chunk of a NAR being served: its row, and its blob's key and size (null when the chunk is gone or lost).</summary>
internal sealed record ChunkLocation(long? ChunkId, string? BlobKey, long? FileSize);

/// <summary>A NAR already stored (state V, no missing chunk), found by its hash for dedup.</summary>
internal sealed record ExistingNar(long Id, long NarSize, string Compression);

/// <summary>
/// A NAR whose chunks are all in storage, ready to be recorded: its chunks in order, each either an existing chunk
/// row or a blob this upload wrote under its lease.
/// </summary>
internal sealed record NarToRecord(
    string NarHash,
    long NarSize,
    string Compression,
    IReadOnlyList<PlannedChunk> Chunks,
    string? LeaseId);

/// <summary>One chunk of a NAR: a reused chunk row (<see cref="ExistingId"/>) or a new blob.</summary>
internal sealed record PlannedChunk(long? ExistingId, NewChunk? New);

/// <summary>
/// A chunk blob this upload wrote: what its chunk row will hold. The hashes stay digests until they are written: a
/// 512 MiB NAR has 8,192 of these in memory at once, and each hash's text would be three times its digest's size.
/// </summary>
internal sealed record NewChunk(string BlobKey, NixHash ChunkHash, long ChunkSize, NixHash FileHash, long FileSize, string Compression);

/// <summary>A valid chunk found by its content hash, for chunk-level dedup.</summary>
internal sealed record ExistingChunk(long Id, long FileSize);

/// <summary>How a NAR got recorded: its row, and whether an identical complete NAR already existed and was used instead.</summary>
/// <param name="RepairedOthers">Its fresh chunks replaced lost ones in other NARs, which are whole again.</param>
internal sealed record RecordedNar(long NarId, bool UsedExisting, bool RepairedOthers = false);

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

/// <summary>A chunk a verify pass checks: its blob, what the blob should be, and whether it is already recorded lost.</summary>
internal sealed record ChunkToVerify(long Id, string BlobKey, string? FileHash, long? FileSize, bool RecordedLost);
