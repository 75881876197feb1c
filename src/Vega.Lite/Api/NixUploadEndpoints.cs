using System.Text;
using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;

namespace Vega.Lite.Api;

/// <summary>
/// Beyond Attic: the write side of Nix's HTTP binary-cache protocol, so <c>nix copy --to http://…/CACHE</c> works.
/// A NAR PUT goes through <see cref="NarUploads"/>, checked against the file hash in its name and stored in the
/// server's own compression; a narinfo PUT becomes visible only if it names a NAR uploaded to the same cache whose
/// decompressed bytes match its NarHash and NarSize. Served narinfos carry the cache's own signature.
/// </summary>
internal static class NixUploadEndpoints
{
    private const int CacheInfoLimit = 64 * 1024;

    public static async Task<IResult> PutCacheInfoAsync(string cache, HttpContext context, CacheAccess access)
    {
        var ct = context.RequestAborted;
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        var body = await RequestBodies.ReadLimitedAsync(context.Request, CacheInfoLimit, ct);
        if (body is null)
        {
            return ApiError.PayloadTooLarge;
        }
        var storeDir = auth.Cache.StoreDir;
        foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
        {
            if (line.StartsWith("StoreDir:", StringComparison.Ordinal) && line["StoreDir:".Length..].Trim() is var sent && sent != storeDir)
            {
                return ApiError.Request($"StoreDir \"{Printable.Truncate(sent)}\" does not match the cache's store directory \"{storeDir}\"");
            }
        }
        return Results.Ok();
    }

    /// <summary>HEAD on an uploaded file's name: whether this cache holds it, so Nix skips uploading it again.</summary>
    public static async Task<IResult> HeadUploadedNarAsync(string cache, string file, HttpContext context, CacheAccess access, MetadataStore metadata)
    {
        var ct = context.RequestAborted;
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        if (await metadata.FindNixUploadAsync(auth.Cache.Id, file, ct) is null)
        {
            return ApiError.NoSuchObject;
        }
        context.Response.ContentType = "application/x-nix-nar";
        return Results.Ok();
    }

    public static async Task<IResult> PutNarAsync(string cache, string file, HttpContext context, CacheAccess access, NarUploads uploads)
    {
        if (!NixUploadNames.TryParse(file, out var fileHashName, out var compression))
        {
            return ApiError.Request($"\"{Printable.Truncate(file)}\" is not a NAR file name: expected <52-character nix32 file hash>.nar[.xz|.zst|.br]");
        }
        var ct = context.RequestAborted;
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        if (!CompressionNames.IsSupported(compression))
        {
            return ApiError.Request($"NARs compressed with {compression} are not supported: use compression=zstd, xz or none");
        }
        var outcome = await uploads.UploadAsync(
            new NixFileTarget(auth.Cache.Id, file), context.Request.Body, compression, new NarClaim(FileHash: fileHashName),
            $"{file} in {cache}", ct);
        return outcome is UploadOutcome.Refused refused ? refused.Error : Results.Ok();
    }

    public static async Task<IResult> PutNarInfoAsync(
        string cache, string file, HttpContext context, CacheAccess access, MetadataStore metadata, NarInfoCache narInfos, ServerConfig config)
    {
        if (PathNames.CheckFile(file, "narinfo", out var hash) is { } invalid)
        {
            return invalid;
        }
        var ct = context.RequestAborted;
        var auth = await access.AuthorizeAsync(context, cache, CachePermissionBit.Push, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        if (context.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding && encoding != "identity")
        {
            return ApiError.UnsupportedMediaType($"narinfo uploads with Content-Encoding \"{Printable.Truncate(encoding)}\" are not supported");
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
        if (NarInfoUploadCheck.Check(info, hash, auth.Cache) is { } mismatch)
        {
            return ApiError.Request(mismatch);
        }
        var upload = await metadata.FindNixUploadAsync(auth.Cache.Id, info.Url["nar/".Length..], ct);
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
        if (!await metadata.UpsertObjectForCompleteNarAsync(auth.Cache.Id, narId, metadataRow, ct))
        {
            return ApiError.Collected; // its NAR lost a chunk or was collected since the lookup above: push both again
        }
        narInfos.Invalidate(cache, hash);
        return Results.Ok();
    }

    private static string ToNix32(string storedHash) =>
        NixHash.TryParse(storedHash, out var parsed, out _) ? parsed.ToNix32String() : storedHash;
}
