using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.IO;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// <c>PUT /_api/v1/upload-path</c> (attic-api.md §3.4, §6.3): the attic client's push. The body is the raw NAR,
/// chunked, after an optional preamble. A NAR already stored in any cache is deduplicated (its bytes still read and
/// checked when proof of possession is required); a new one streams through the ingest pipeline and becomes
/// visible, with its path, in one transaction, only if its hash and size are what the client claimed.
/// </summary>
internal static class UploadPathEndpoint
{
    public static IEndpointRouteBuilder MapUploadPath(this IEndpointRouteBuilder app)
    {
        app.MapPut("/_api/v1/upload-path", UploadAsync);
        return app;
    }

    private static readonly ApiError BadNarHashOrSize = ApiError.Request("Bad NAR Hash or Size");

    private static async Task<IResult> UploadAsync(
        HttpContext context, CacheAccess access, MetadataStore metadata, NarIngester ingester, NarInfoCache narInfos,
        ServerConfig config, ILogger<NarIngester> log)
    {
        var ct = context.RequestAborted;
        var (upload, invalid) = await UploadInfoReader.ReadAsync(context.Request, config.MaxNarInfoSize, ct);
        if (invalid is not null)
        {
            return invalid;
        }
        var info = upload!.NarInfo;
        var (cache, denied) = await access.AuthorizeAsync(context, info.Cache, CachePermissionBit.Push, ct);
        if (denied is not null)
        {
            return denied;
        }
        var path = new ObjectMetadata(
            info.StorePathHash, info.StorePath, info.References, info.Deriver, info.Sigs, info.Ca, Caller.Of(context).Subject);
        var body = context.Request.Body;
        try
        {
            var existing = await metadata.FindCompleteNarAsync(upload.NarHash.ToHexString(), ct);
            UploadPathResult result;
            if (existing is not null && existing.NarSize == upload.NarSize)
            {
                if (config.RequireProofOfPossession && await ProveAsync(body, upload, existing, log, ct) is { } refused)
                {
                    return refused;
                }
                if (!await metadata.UpsertObjectForCompleteNarAsync(cache!.Id, existing.Id, path, ct))
                {
                    return ApiError.Collected;
                }
                result = new UploadPathResult { Kind = UploadPathResultKind.Deduplicated };
            }
            else
            {
                await using var pending = await ingester.IngestAsync(new LengthLimitedReadStream(body, upload.NarSize), upload.NarSize, ct);
                if (pending.NarHash != upload.NarHash || pending.NarSize != upload.NarSize)
                {
                    LogMismatch(log, info, upload, pending.NarHash, pending.NarSize);
                    return BadNarHashOrSize;
                }
                if (pending.InvalidReason is { } notANar)
                {
                    return ApiError.Request($"the uploaded NAR is not valid: {notANar}");
                }
                var recorded = await metadata.RecordUploadedPathAsync(cache!.Id, pending.ToRecord(), path, ct);
                pending.MarkRecorded(recorded);
                result = recorded.UsedExisting
                    ? new UploadPathResult { Kind = UploadPathResultKind.Deduplicated }
                    : new UploadPathResult { Kind = UploadPathResultKind.Uploaded, FileSize = pending.FileSize, FracDeduplicated = pending.FracDeduplicated };
            }
            narInfos.Invalidate(info.Cache, info.StorePathHash);
            log.LogInformation("{Kind} {StorePath} in {Cache}: NAR {NarHash}, {NarSize} bytes",
                result.Kind, info.StorePath, info.Cache, upload.NarHash.ToNix32String(), upload.NarSize);
            return JsonResults.Ok(result, AtticJsonContext.Wire.UploadPathResult);
        }
        catch (ChunkCollectedException)
        {
            return ApiError.Collected;
        }
        catch (BadHttpRequestException e)
        {
            return ApiError.Request($"the upload was cut short: {e.Message}");
        }
    }

    /// <summary>
    /// Proof of possession for a deduplicated NAR: the whole remaining body must hash to the stored NAR and have
    /// its size. Null when it does; the error otherwise.
    /// </summary>
    private static async Task<ApiError?> ProveAsync(Stream body, UploadInfo upload, ExistingNar existing, ILogger log, CancellationToken ct)
    {
        await using var hashing = new HashingReadStream(body, leaveOpen: true);
        await hashing.CopyToAsync(Stream.Null, ct);
        var actual = NixHash.FromBytes(hashing.GetHash());
        if (actual == upload.NarHash && hashing.BytesRead == upload.NarSize && upload.NarSize == existing.NarSize)
        {
            return null;
        }
        LogMismatch(log, upload.NarInfo, upload, actual, hashing.BytesRead);
        return BadNarHashOrSize;
    }

    /// <summary>What was claimed and what arrived, so a proxy that mangles bodies can be found (Attic #281, #290).</summary>
    private static void LogMismatch(ILogger log, UploadPathNarInfo info, UploadInfo upload, NixHash actualHash, long actualSize) =>
        log.LogWarning(
            "Refused {StorePath} for {Cache}: claimed NAR {ClaimedHash}, {ClaimedSize} bytes; received {ActualHash}, {ActualSize} bytes",
            info.StorePath, info.Cache, upload.NarHash.ToNix32String(), upload.NarSize, actualHash.ToNix32String(), actualSize);
}
