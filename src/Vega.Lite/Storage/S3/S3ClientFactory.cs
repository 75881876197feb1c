using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Vega.Lite.Config;

namespace Vega.Lite.Storage.S3;

/// <summary>
/// The S3 client for <c>[storage] type = "s3"</c>, set up as Attic sets up its own (docs/attic-api.md §6.2): a custom
/// endpoint forces path-style addressing, credentials come from <c>[storage.credentials]</c> or else the SDK's
/// default chain, retries are adaptive.
/// </summary>
internal static class S3ClientFactory
{
    public static AmazonS3Config ConfigFor(S3StorageConfig storage)
    {
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Adaptive,
            // Checksums only where an operation requires one. The default (WHEN_SUPPORTED) adds CRC trailers sent
            // as aws-chunked bodies, which many S3-compatible servers do not decode; bodies are sent whole with a
            // signed SHA-256 of the payload instead (see S3Upload), which S3 verifies as well.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (storage.Endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(storage.Region);
        }
        else
        {
            if (!Uri.TryCreate(storage.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ConfigException($"storage.endpoint \"{storage.Endpoint}\" is not an http:// or https:// URL");
            }
            config.ServiceURL = storage.Endpoint;
            config.AuthenticationRegion = storage.Region;
            config.ForcePathStyle = true;
        }
        return config;
    }

    public static AmazonS3Client Create(S3StorageConfig storage, AmazonS3Config config) =>
        storage.AccessKeyId is { } id && storage.SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(id, secret), config)
            : new AmazonS3Client(config); // the default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, IMDS, …
}
