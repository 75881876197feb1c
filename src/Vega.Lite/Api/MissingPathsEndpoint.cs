using System.Diagnostics;
using Vega.Lite.Auth;
using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Http;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;

namespace Vega.Lite.Api;

/// <summary>
/// <c>POST /_api/v1/get-missing-paths</c> (docs/attic-api.md §3.5.5): which of the given store path hashes the cache
/// lacks. Needs push, since it reveals a cache's contents. Duplicates are answered once, in request order.
/// </summary>
internal static class MissingPathsEndpoint
{
    public static async Task<IResult> GetMissingPathsAsync(
        HttpContext context, CacheAccess access, MetadataStore metadata, ServerMetrics metrics)
    {
        var ct = context.RequestAborted;
        var (request, invalid) = await JsonBodies.ReadAsync(context, AtticJsonContext.Default.GetMissingPathsRequest);
        if (invalid is not null)
        {
            return invalid;
        }
        if (!CacheName.IsValid(request!.Cache))
        {
            return JsonBodies.Unprocessable($"cache: \"{Printable.Truncate(request.Cache)}\" is not a valid cache name");
        }
        foreach (var hash in request.StorePathHashes)
        {
            if (hash is null)
            {
                return JsonBodies.Unprocessable("store_path_hashes: null is not a store path hash"); // serde refuses null for a String
            }
            if (!StorePathHash.IsValid(hash))
            {
                return JsonBodies.Unprocessable($"store_path_hashes: \"{Printable.Truncate(hash)}\" is not a valid store path hash");
            }
        }
        var auth = await access.AuthorizeAsync(context, request.Cache, CachePermissionBit.Push, ct);
        if (!auth.Granted)
        {
            return auth.Error;
        }
        var requested = request.StorePathHashes.Distinct(StringComparer.Ordinal).ToList();
        var started = Stopwatch.GetTimestamp();
        var present = await metadata.FindPresentPathsAsync(auth.Cache.Id, requested, ct);
        metrics.Database("missing-paths", started);
        var response = new GetMissingPathsResponse { MissingPaths = requested.Where(h => !present.Contains(h)).ToList() };
        return JsonResults.Ok(response, AtticJsonContext.Wire.GetMissingPathsResponse);
    }
}
