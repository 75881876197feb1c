using Amazon.S3;
using Amazon.S3.Model;
using Vega.Lite.Config;
using Vega.Lite.Storage.S3;

namespace Vega.Lite.Tests.Support;

/// <summary>The in-process tests' S3 client for <see cref="S3rver"/>: it uses the server's own (internal) client factory.</summary>
public sealed partial class S3rver
{
    /// <summary>The <c>[storage]</c> settings for this server: s3rver's fixed S3RVER/S3RVER credentials.</summary>
    internal S3StorageConfig StorageConfig => new("us-east-1", Bucket, Endpoint.ToString().TrimEnd('/'), "S3RVER", "S3RVER");

    /// <summary>A client configured exactly as the server configures its own; <paramref name="tweak"/> may change it.</summary>
    public AmazonS3Client Client(Action<AmazonS3Config>? tweak = null)
    {
        var config = S3ClientFactory.ConfigFor(StorageConfig);
        tweak?.Invoke(config);
        return S3ClientFactory.Create(StorageConfig, config);
    }

    public async Task<string[]> ListKeysAsync()
    {
        using var client = Client();
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        return (listed.S3Objects ?? []).Select(o => o.Key).ToArray();
    }
}
