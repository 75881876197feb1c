using Amazon.S3.Model;
using Vega.Lite.Config;
using Vega.Lite.Core.Nix;
using Vega.Lite.Storage.S3;

namespace Vega.Lite.Storage;

/// <summary>
/// <c>--mode check-config</c>'s line about storage: local storage is looked at without creating anything; an S3
/// bucket is listed for one key. Absent or unreachable is said, not an error: the check also runs where neither
/// exists (a NixOS build sandbox has no network).
/// </summary>
internal static class StorageReport
{
    private static readonly TimeSpan S3Timeout = TimeSpan.FromSeconds(10);

    public static async Task<string> DescribeAsync(StorageConfig storage) => storage switch
    {
        LocalStorageConfig local => DescribeLocal(Path.GetFullPath(local.Path)),
        S3StorageConfig s3 => await DescribeS3Async(s3),
        _ => "storage: of an unknown type",
    };

    private static string DescribeLocal(string root)
    {
        if (!Directory.Exists(root))
        {
            return $"storage: local, {root} does not exist yet; the first start creates it";
        }
        var version = Path.Combine(root, "VERSION");
        return File.Exists(version)
            ? $"storage: local, {root}, layout version {File.ReadAllText(version).Trim()}"
            : $"storage: local, {root}, no VERSION file yet (the first start writes 1, Attic's two-level layout)";
    }

    private static async Task<string> DescribeS3Async(S3StorageConfig s3)
    {
        var where = $"S3 bucket {s3.Bucket} in {s3.Region}{(s3.Endpoint is null ? "" : $" at {s3.Endpoint}")}";
        try
        {
            var config = S3ClientFactory.ConfigFor(s3);
            config.Timeout = S3Timeout;
            config.MaxErrorRetry = 0;
            using var client = S3ClientFactory.Create(s3, config);
            using var timeout = new CancellationTokenSource(S3Timeout);
            var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = s3.Bucket, MaxKeys = 1 }, timeout.Token);
            return $"storage: {where}, reachable{((listing.KeyCount ?? 0) == 0 ? ", empty" : "")}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"storage: {where}, not reachable from here: {Printable.Truncate(e.Message)}";
        }
    }
}
