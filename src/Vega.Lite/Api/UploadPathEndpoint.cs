using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// <c>PUT /_api/v1/upload-path</c> (docs/attic-api.md §3.4, §6.3): the attic client's push. The body is the raw NAR,
/// after an optional preamble; <see cref="NarUploads"/> deduplicates, ingests, checks and records it.
/// </summary>
internal static class UploadPathEndpoint
{
    public static async Task<IResult> UploadAsync(
        HttpContext context, CacheAccess access, NarUploads uploads, NarInfoCache narInfos, ServerConfig config)
    {
        var ct = context.RequestAborted;
        var (upload, invalid) = await UploadInfoReader.ReadAsync(context.Request, config.MaxNarInfoSize, ct);
        if (invalid is not null)
        {
            return invalid;
        }
        var info = upload!.NarInfo;
        var auth = await access.AuthorizeAsync(context, info.Cache, CachePermissionBit.Push, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        var path = new ObjectMetadata(
            info.StorePathHash, info.StorePath, info.References, info.Deriver, info.Sigs, info.Ca, Caller.Of(context).Subject);
        var outcome = await uploads.UploadAsync(
            new StorePathTarget(auth.Cache.Id, path), context.Request.Body, CompressionNames.None,
            new NarClaim(upload.NarHash, upload.NarSize), $"{info.StorePath} in {info.Cache}", ct);
        if (outcome is UploadOutcome.Refused refused)
        {
            return refused.Error;
        }
        var stored = (UploadOutcome.Stored)outcome;
        narInfos.Invalidate(info.Cache, info.StorePathHash);
        var result = stored.Deduplicated
            ? new UploadPathResult { Kind = UploadPathResultKind.Deduplicated }
            : new UploadPathResult { Kind = UploadPathResultKind.Uploaded, FileSize = stored.FileSize, FracDeduplicated = stored.FracDeduplicated };
        return JsonResults.Ok(result, AtticJsonContext.Wire.UploadPathResult);
    }
}
