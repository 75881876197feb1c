using Vega.Lite.Config;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.IO;
using Vega.Lite.Core.Nix;
using Vega.Lite.Http;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;

namespace Vega.Lite.Ingest;

/// <summary>
/// The one owner of an upload's commit protocol, whatever route the bytes came by:
/// whole-NAR dedup when the NAR's hash is claimed up front → ingest (decompress, hash, check, chunk, store every
/// blob durably) → compare with the claim → record the NAR and what points at it in one transaction. Until that
/// transaction commits nothing is visible, and a refused or failed upload deletes the blobs it wrote.
/// </summary>
internal sealed class NarUploads(
    NarIngester ingester, MetadataStore metadata, ServerConfig config, ServerMetrics metrics, CacheStatistics statistics,
    ILogger<NarUploads> log)
{
    private static readonly ApiError BadNarHashOrSize = ApiError.Request("Bad NAR Hash or Size");

    /// <param name="body">The request body: the NAR compressed with <paramref name="compression"/>.</param>
    public async Task<UploadOutcome> UploadAsync(
        UploadTarget target, Stream body, string compression, NarClaim claim, string description, CancellationToken ct)
    {
        using var timing = metrics.StartUpload(target.Route);
        try
        {
            var outcome = await RunAsync(target, body, compression, claim, description, ct);
            if (outcome is UploadOutcome.Stored stored)
            {
                log.LogInformation("{Kind} {Upload}: NAR {NarHash}, {NarSize} bytes",
                    stored.Deduplicated ? "Deduplicated" : "Uploaded", description, stored.NarHash.ToNix32String(), stored.NarSize);
                timing.Outcome = stored.Deduplicated ? "deduplicated" : "stored";
                statistics.Changed();
                metrics.UploadStored(stored.NarSize,
                    stored.Deduplicated ? stored.NarSize : (long)(stored.NarSize * (stored.FracDeduplicated ?? 0)));
            }
            else
            {
                timing.Outcome = "refused";
            }
            return outcome;
        }
        catch (InvalidDataException e)
        {
            timing.Outcome = "refused";
            return Refuse(NotANar(e.Message)); // the compressed stream is corrupt
        }
        catch (ChunkCollectedException)
        {
            timing.Outcome = "refused";
            return Refuse(ApiError.Collected);
        }
        catch (BadHttpRequestException e)
        {
            timing.Outcome = "cut";
            return Refuse(ApiError.Request($"the upload was cut short: {e.Message}"));
        }
    }

    private async Task<UploadOutcome> RunAsync(
        UploadTarget target, Stream body, string compression, NarClaim claim, string description, CancellationToken ct)
    {
        if (claim.NarHash is { } claimedHash
            && await metadata.FindCompleteNarAsync(claimedHash.ToHexString(), ct) is { } known && known.NarSize == claim.NarSize)
        {
            return await DeduplicateAsync(target, body, claim, known, description, ct);
        }
        await using var file = new HashingReadStream(body, leaveOpen: true);
        Stream sent = claim.FileHash is null ? body : file; // the file hash costs a pass over every byte: only when claimed
        PendingNar pending;
        await using (var decompressed = CompressionNames.OpenDecompressor(compression, sent, leaveOpen: true))
        {
            // Read up to the claimed size, no further: Attic's upload-path body may go on after the NAR.
            var nar = claim.NarSize is { } size ? new LengthLimitedReadStream(decompressed, size) : decompressed;
            pending = await ingester.IngestAsync(nar, claim.NarSize, ct);
        }
        await using (pending)
        {
            if (claim.NarHash is { } expectedHash && (pending.NarHash != expectedHash || pending.NarSize != claim.NarSize))
            {
                LogMismatch(description, claim, pending.NarHash, pending.NarSize);
                return Refuse(BadNarHashOrSize);
            }
            if (pending.InvalidReason is { } notANar)
            {
                return Refuse(NotANar(notANar));
            }
            if (claim.FileHash is { } expectedFile)
            {
                await file.CopyToAsync(Stream.Null, ct); // anything after the compressed stream still counts in the file hash
                var actual = Nix32.Encode(file.GetHash());
                if (actual != expectedFile)
                {
                    return Refuse(ApiError.Request($"the uploaded file's SHA-256 is {actual}, not the {expectedFile} its name claims"));
                }
            }
            if (claim.NarHash is null
                && await metadata.FindCompleteNarAsync(pending.NarHash.ToHexString(), ct) is { } existing && existing.NarSize == pending.NarSize)
            {
                return await target.RecordExistingAsync(metadata, existing, ct)
                    ? new UploadOutcome.Stored(pending.NarHash, pending.NarSize, Deduplicated: true, null, null)
                    : Refuse(ApiError.Collected);
            }
            var recorded = await pending.RecordAsync(nar => target.RecordNewAsync(metadata, nar, ct));
            return recorded.UsedExisting
                ? new UploadOutcome.Stored(pending.NarHash, pending.NarSize, Deduplicated: true, null, null)
                : new UploadOutcome.Stored(pending.NarHash, pending.NarSize, Deduplicated: false, pending.FileSize, pending.FracDeduplicated);
        }
    }

    /// <summary>
    /// The claimed NAR is stored already: point at it, after reading the whole body and checking it is that NAR when
    /// proof of possession is required.
    /// </summary>
    private async Task<UploadOutcome> DeduplicateAsync(
        UploadTarget target, Stream body, NarClaim claim, ExistingNar known, string description, CancellationToken ct)
    {
        if (config.RequireProofOfPossession)
        {
            await using var hashing = new HashingReadStream(body, leaveOpen: true);
            await hashing.CopyToAsync(Stream.Null, ct);
            var actual = NixHash.FromBytes(hashing.GetHash());
            if (actual != claim.NarHash || hashing.BytesRead != claim.NarSize)
            {
                LogMismatch(description, claim, actual, hashing.BytesRead);
                return Refuse(BadNarHashOrSize);
            }
        }
        return await target.RecordExistingAsync(metadata, known, ct)
            ? new UploadOutcome.Stored(claim.NarHash!.Value, known.NarSize, Deduplicated: true, null, null)
            : Refuse(ApiError.Collected);
    }

    private static ApiError NotANar(string reason) => ApiError.Request($"the uploaded NAR is not valid: {reason}");

    private static UploadOutcome.Refused Refuse(ApiError error) => new(error);

    /// <summary>What was claimed and what arrived, so a proxy that mangles bodies can be found (Attic #281, #290).</summary>
    private void LogMismatch(string description, NarClaim claim, NixHash actualHash, long actualSize) =>
        log.LogWarning("Refused {Upload}: claimed NAR {ClaimedHash}, {ClaimedSize} bytes; received {ActualHash}, {ActualSize} bytes",
            description, claim.NarHash?.ToNix32String(), claim.NarSize, actualHash.ToNix32String(), actualSize);
}
