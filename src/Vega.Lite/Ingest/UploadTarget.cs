using Vega.Lite.Metadata;

namespace Vega.Lite.Ingest;

/// <summary>
/// What an upload makes visible once its NAR is checked: each route records the NAR under its own name, in one
/// transaction with the NAR's rows.
/// </summary>
internal abstract class UploadTarget
{
    /// <summary>Records a new NAR (or the identical one a concurrent upload recorded first) and what points at it.</summary>
    /// <summary>The API the upload came through, for the upload metrics: <c>attic</c> or <c>nix</c>.</summary>
    public abstract string Route { get; }

    public abstract Task<RecordedNar> RecordNewAsync(MetadataStore metadata, NarToRecord nar, CancellationToken ct);

    /// <summary>Points at a NAR already stored; false when garbage collection took it since it was found.</summary>
    public abstract Task<bool> RecordExistingAsync(MetadataStore metadata, ExistingNar nar, CancellationToken ct);
}

/// <summary>Attic's <c>upload-path</c>: the store path itself, visible with its NAR.</summary>
internal sealed class StorePathTarget(long cacheId, ObjectMetadata path) : UploadTarget
{
    public override string Route => "attic";

    public override Task<RecordedNar> RecordNewAsync(MetadataStore metadata, NarToRecord nar, CancellationToken ct) =>
        metadata.RecordUploadedPathAsync(cacheId, nar, path, ct);

    public override Task<bool> RecordExistingAsync(MetadataStore metadata, ExistingNar nar, CancellationToken ct) =>
        metadata.UpsertObjectForCompleteNarAsync(cacheId, nar.Id, path, ct);
}

/// <summary>Nix's <c>PUT nar/&lt;file hash&gt;.nar…</c>: the file name, which the narinfo PUT that follows names.</summary>
internal sealed class NixFileTarget(long cacheId, string fileName) : UploadTarget
{
    public override string Route => "nix";

    public override Task<RecordedNar> RecordNewAsync(MetadataStore metadata, NarToRecord nar, CancellationToken ct) =>
        metadata.RecordNixUploadAsync(cacheId, fileName, nar, existingNarId: null, ct);

    public override async Task<bool> RecordExistingAsync(MetadataStore metadata, ExistingNar nar, CancellationToken ct)
    {
        await metadata.RecordNixUploadAsync(cacheId, fileName, nar: null, nar.Id, ct);
        return true;
    }
}
