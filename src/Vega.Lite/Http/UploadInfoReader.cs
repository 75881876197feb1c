using System.Globalization;
using System.Text;
using System.Text.Json;
using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Http;

/// <summary>An upload's path metadata, parsed and checked, with its claimed NAR hash decoded.</summary>
internal sealed record UploadInfo(UploadPathNarInfo NarInfo, NixHash NarHash)
{
    public long NarSize => (long)NarInfo.NarSize;
}

/// <summary>
/// Reads the <c>UploadPathNarInfo</c> of <c>PUT /_api/v1/upload-path</c> (docs/attic-api.md §3.4) from the body's preamble
/// (<c>X-Attic-Nar-Info-Preamble-Size</c>, checked first, as Attic does) or from the <c>X-Attic-Nar-Info</c> header.
/// After a preamble the request body is positioned at the NAR's first byte.
/// </summary>
internal static class UploadInfoReader
{
    public const string NarInfoHeader = "X-Attic-Nar-Info";
    public const string PreambleSizeHeader = "X-Attic-Nar-Info-Preamble-Size";

    public static async Task<(UploadInfo? Info, ApiError? Error)> ReadAsync(HttpRequest request, long maxSize, CancellationToken ct)
    {
        byte[] json;
        if (request.Headers.TryGetValue(PreambleSizeHeader, out var sizeHeader))
        {
            var text = sizeHeader.ToString();
            if (!Ascii.IsValid(text))
            {
                return (null, ApiError.Request($"{PreambleSizeHeader} has invalid encoding"));
            }
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return (null, ApiError.Request($"{PreambleSizeHeader} must be a valid unsigned integer"));
            }
            if (size > (ulong)maxSize)
            {
                return (null, ApiError.Request("Upload info is too large"));
            }
            json = new byte[size];
            if (await request.Body.ReadAtLeastAsync(json, json.Length, throwOnEndOfStream: false, ct) < json.Length)
            {
                return (null, ApiError.Request("Upload info doesn't match specified size"));
            }
        }
        else if (request.Headers.TryGetValue(NarInfoHeader, out var infoHeader))
        {
            json = Encoding.UTF8.GetBytes(infoHeader.ToString());
            if (json.Length > maxSize)
            {
                return (null, ApiError.Request("Upload info is too large"));
            }
        }
        else
        {
            return (null, ApiError.Request($"{NarInfoHeader} must be set"));
        }
        return Parse(json);
    }

    private static (UploadInfo? Info, ApiError? Error) Parse(byte[] json)
    {
        UploadPathNarInfo? info;
        try
        {
            info = JsonSerializer.Deserialize(json, AtticJsonContext.Default.UploadPathNarInfo);
        }
        catch (JsonException e)
        {
            return (null, ApiError.Request($"upload info: {e.Message}"));
        }
        if (info is null)
        {
            return (null, ApiError.Request("upload info: expected a JSON object"));
        }
        if (!CacheName.IsValid(info.Cache))
        {
            return (null, ApiError.Request($"upload info: cache: \"{Printable.Truncate(info.Cache)}\" is not a valid cache name"));
        }
        if (!StorePathHash.IsValid(info.StorePathHash))
        {
            return (null, ApiError.Request($"upload info: store_path_hash: \"{Printable.Truncate(info.StorePathHash)}\" is not 32 characters of Nix base-32"));
        }
        if (!NixHash.TryParse(info.NarHash, out var narHash, out var hashError))
        {
            return (null, ApiError.Request($"upload info: nar_hash: {hashError}"));
        }
        if (info.NarSize > long.MaxValue)
        {
            return (null, ApiError.Request("upload info: nar_size is too large"));
        }
        return (new UploadInfo(info, narHash), null);
    }
}
