namespace Vega.Lite.Storage;

/// <summary>
/// Where compressed NAR chunks live. A write becomes a blob only when committed, and is durable once
/// <see cref="FlushAsync"/> returns after its commit; an abandoned upload leaves nothing. Local files (<see cref="LocalBlobStorage"/>) or S3 (<see cref="S3BlobStorage"/>).
/// </summary>
internal interface IBlobStorage
{
    /// <summary>
    /// Starts a new blob under <paramref name="key"/> (chosen by the caller, so it can be recorded before the
    /// bytes exist); write to <see cref="IBlobUpload.Content"/>, then commit or dispose.
    /// </summary>
    Task<IBlobUpload> BeginUploadAsync(string key, CancellationToken ct);

    /// <summary>Opens a committed blob for reading from <paramref name="offset"/>; null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, long offset, CancellationToken ct);

    Task<bool> ExistsAsync(string key, CancellationToken ct);

    /// <summary>Throws, saying why, when the storage cannot be used now (for <c>/readyz</c>); a round trip at most.</summary>
    Task CheckReachableAsync(CancellationToken ct);

    /// <summary>Deletes a blob, or what a crashed write of it left; one that is already gone counts as deleted.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// Makes every blob committed so far durable, whatever crashes next. Called once per NAR before it is recorded,
    /// instead of once per blob: a NAR of a thousand chunks costs one flush, not two thousand fsyncs.
    /// </summary>
    Task FlushAsync(CancellationToken ct);
}

/// <summary>A blob being written. Disposing without <see cref="CommitAsync"/> discards it.</summary>
internal interface IBlobUpload : IAsyncDisposable
{
    Stream Content { get; }

    /// <summary>Makes the written bytes visible under the key, whole or not at all; durable after <see cref="IBlobStorage.FlushAsync"/>.</summary>
    Task CommitAsync(CancellationToken ct);
}
