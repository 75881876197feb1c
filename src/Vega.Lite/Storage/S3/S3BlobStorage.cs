using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Vega.Lite.Config;

namespace Vega.Lite.Storage.S3;

/// <summary>
/// Blobs as objects at the bucket's root, named by their key (<c>&lt;uuid&gt;.chunk</c>), as Attic stores them.
/// Uploads stream with bounded memory and become visible only at commit (<see cref="S3Upload"/>); reads stream and
/// resume with ranged GETs when a response is cut short (<see cref="S3ReadStream"/>, Attic #101).
/// </summary>
internal sealed class S3BlobStorage(IAmazonS3 s3, string bucket, ILogger logger) : IBlobStorage, IDisposable
{
    public static S3BlobStorage Create(S3StorageConfig config, ILogger logger) =>
        new(S3ClientFactory.Create(config, S3ClientFactory.ConfigFor(config)), config.Bucket, logger);

    public Task<IBlobUpload> BeginUploadAsync(string key, CancellationToken ct)
    {
        return Task.FromResult<IBlobUpload>(new S3Upload(s3, bucket, BlobKey.Validated(key), logger));
    }

    public async Task<Stream?> OpenReadAsync(string key, long offset, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var request = new GetObjectRequest { BucketName = bucket, Key = BlobKey.Validated(key) };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(request, ct);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return Stream.Null; // offset at or past the end, as a file read there: nothing left
        }
        return new S3ReadStream(s3, bucket, key, response, offset, logger);
    }

    /// <summary>A HEAD of a key no blob has: 404 is an answer, so the bucket is reachable and the credentials work.</summary>
    public Task CheckReachableAsync(CancellationToken ct) => ExistsAsync("00000000-0000-0000-0000-000000000000.chunk", ct);

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, BlobKey.Validated(key), ct);
            return true;
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        try
        {
            await s3.DeleteObjectAsync(bucket, BlobKey.Validated(key), ct);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            // Already gone counts as deleted (Attic #361); S3 itself answers 204 here, some compatibles 404.
        }
    }

    /// <summary>Nothing to do: S3 answers a PUT or a completed multipart upload only once the object is durable.</summary>
    public Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

    public void Dispose() => s3.Dispose();

    /// <summary>The key is missing; a missing bucket is a configuration error, not a missing blob.</summary>
    internal static bool IsNotFound(AmazonS3Exception e) =>
        e.ErrorCode == "NoSuchKey" || (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket");
}
