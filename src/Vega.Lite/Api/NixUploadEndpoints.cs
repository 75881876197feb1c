using System.Text;
using Vega.Lite.Auth;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Config;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.IO;
using Vega.Lite.Core.Nix;
using Vega.Lite.Http;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// Beyond Attic: the write side of Nix's HTTP binary-cache protocol, so <c>nix copy --to http://…/CACHE</c> works.
/// A NAR PUT is decompressed, hashed, checked against the file hash in its name and stored in the server's own
/// compression; a narinfo PUT becomes visible only if it names a NAR uploaded to the same cache whose decompressed
/// bytes match its NarHash and NarSize. Served narinfos carry the cache's own signature.
/// </summary>
internal static class NixUploadEndpoints
{
    private const int CacheInfoLimit = 64 * 1024;

    public static IEndpointRouteBuilder MapNixUpload(this IEndpointRouteBuilder app)
    {
        app.MapPut("/{cache}/nix-cache-info", PutCacheInfoAsync);
        app.MapPut("/{cache}/nar/{file}", PutNarAsync);
        app.MapPut("/{cache}/{file}", PutNarInfoAsync);
        return app;
    }

    private static async Task<IResult> PutCacheInfoAsync(string cache, HttpContext context, CacheAccess access)
    {
        if (!PathNames.IsValidCacheName(cache))
        {
            return PathNames.InvalidCacheName(cache);
        }
        var ct = context.RequestAborted;
        var (record, error) = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (error is not null)
        {
            return error;
        }
        var body = await RequestBodies.ReadLimitedAsync(context.Request, CacheInfoLimit, ct);
        if (body is null)
        {
            return ApiError.PayloadTooLarge;
        }
        foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
        {
            if (line.StartsWith("StoreDir:", StringComparison.Ordinal) && line["StoreDir:".Length..].Trim() is var storeDir && storeDir != record!.StoreDir)
            {
                return ApiError.Request($"StoreDir \"{storeDir}\" does not match the cache's store directory \"{record.StoreDir}\"");
            }
        }
        return Results.Ok();
    }

    /// <summary>HEAD on an uploaded file's name: whether this cache holds it, so Nix skips uploading it again.</summary>
    public static async Task<IResult> HeadUploadedNarAsync(string cache, string file, HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            return ApiError.NotFound; // served NARs live at nar/<store path hash>.nar, the URL our narinfos give
        }
        var ct = context.RequestAborted;
        var (record, error) = await context.RequestServices.GetRequiredService<CacheAccess>().AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (error is not null)
        {
            return error;
        }
        var upload = await context.RequestServices.GetRequiredService<MetadataStore>().FindNixUploadAsync(record!.Id, file, ct);
        if (upload is null)
        {
            return ApiError.NoSuchObject;
        }
        context.Response.ContentType = "application/x-nix-nar";
        return Results.Ok();
    }

    private static async Task<IResult> PutNarAsync(
        string cache, string file, HttpContext context, CacheAccess access, NarIngester ingester, MetadataStore metadata,
        ILogger<NarIngester> log)
    {
        if (!PathNames.IsValidCacheName(cache))
        {
            return PathNames.InvalidCacheName(cache);
        }
        if (!NixUploadNames.TryParse(file, out var fileHashName, out var compression))
        {
            return ApiError.Request($"\"{file}\" is not a NAR file name: expected <52-character nix32 file hash>.nar[.xz|.zst|.br]");
        }
        var ct = context.RequestAborted;
        var (record, error) = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (error is not null)
        {
            return error;
        }
        if (!CompressionNames.IsSupported(compression))
        {
            return ApiError.Request($"NARs compressed with {compression} are not supported: use compression=zstd, xz or none");
        }
        try
        {
            await using var body = new HashingReadStream(context.Request.Body, leaveOpen: true);
            PendingNar pending;
            await using (var nar = CompressionNames.OpenDecompressor(compression, body, leaveOpen: true))
            {
                pending = await ingester.IngestAsync(nar, expectedSize: null, ct);
            }
            await using (pending)
            {
                if (pending.InvalidReason is { } notANar)
                {
                    return ApiError.Request($"the uploaded NAR is not valid: {notANar}");
                }
                await body.CopyToAsync(Stream.Null, ct); // anything after the compressed stream still counts in the file hash
                var actual = Nix32.Encode(body.GetHash());
                if (actual != fileHashName)
                {
                    return ApiError.Request($"the uploaded file's SHA-256 is {actual}, not the {fileHashName} its name claims");
                }
                var existing = await metadata.FindCompleteNarAsync(pending.NarHash.ToHexString(), ct);
                if (existing is not null && existing.NarSize == pending.NarSize)
                {
                    await metadata.RecordNixUploadAsync(record!.Id, file, nar: null, existing.Id, ct);
                }
                else
                {
                    pending.MarkRecorded(await metadata.RecordNixUploadAsync(record!.Id, file, pending.ToRecord(), existingNarId: null, ct));
                }
                log.LogInformation("Stored {File} in {Cache}: NAR {NarHash}, {NarSize} bytes", file, cache, pending.NarHash.ToNix32String(), pending.NarSize);
            }
            return Results.Ok();
        }
        catch (InvalidDataException e)
        {
            return ApiError.Request($"the uploaded NAR is not valid: {e.Message}");
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

    private static async Task<IResult> PutNarInfoAsync(
        string cache, string file, HttpContext context, CacheAccess access, MetadataStore metadata, NarInfoCache narInfos, ServerConfig config)
    {
        if (PathNames.CheckFile(cache, file, "narinfo", out var hash) is { } invalid)
        {
            return invalid;
        }
        var ct = context.RequestAborted;
        var (record, error) = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (error is not null)
        {
            return error;
        }
        if (context.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding && encoding != "identity")
        {
            return ApiError.UnsupportedMediaType($"narinfo uploads with Content-Encoding \"{encoding}\" are not supported");
        }
        var body = await RequestBodies.ReadLimitedAsync(context.Request, config.MaxNarInfoSize, ct);
        if (body is null)
        {
            return ApiError.PayloadTooLarge;
        }
        if (!NarInfo.TryParse(Encoding.UTF8.GetString(body), out var info, out var parseError))
        {
            return ApiError.Request($"invalid narinfo: {parseError}");
        }
        if (NarInfoUploadCheck.Check(info!, hash, record!) is { } mismatch)
        {
            return ApiError.Request(mismatch);
        }
        var uploadName = info!.Url["nar/".Length..];
        var upload = await metadata.FindNixUploadAsync(record!.Id, uploadName, ct);
        if (upload is null)
        {
            return ApiError.Request($"the NAR {info.Url} has not been uploaded to cache \"{cache}\": PUT it before its narinfo");
        }
        var (narId, narHash, narSize) = upload.Value;
        if (narHash != info.NarHash.ToHexString() || narSize != info.NarSize)
        {
            return ApiError.Request(
                $"NarHash/NarSize {info.NarHash.ToNix32String()} / {info.NarSize} do not match the uploaded NAR's {ToNix32(narHash)} / {narSize}");
        }
        var metadataRow = new ObjectMetadata(hash, info.StorePath, info.References, info.Deriver, info.Sigs, info.Ca, Caller.Of(context).Subject);
        await metadata.UpsertObjectAsync(record.Id, narId, metadataRow, ct);
        narInfos.Invalidate(cache, hash);
        return Results.Ok();
    }

    private static string ToNix32(string storedHash) =>
        NixHash.TryParse(storedHash, out var parsed, out _) ? parsed.ToNix32String() : storedHash;
}
