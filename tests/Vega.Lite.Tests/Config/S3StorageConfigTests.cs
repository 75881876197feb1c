using Amazon;
using Vega.Lite.Config;
using Vega.Lite.Storage.S3;

namespace Vega.Lite.Tests.Config;

/// <summary><c>[storage] type = "s3"</c>: Attic's keys, and the client settings they turn into (docs/attic-api.md §6.2, §8.2).</summary>
public sealed class S3StorageConfigTests
{
    private static ServerConfig Read(string storage) => ConfigReader.Read(
        "[database]\nurl = \"sqlite:///tmp/x.db\"\n" + storage + "\n[jwt.signing]\ntoken-hs256-secret-base64 = \"c2VjcmV0\"\n",
        "server.toml", _ => null);

    [Fact]
    public void Every_key_is_read()
    {
        var config = Read("""
            [storage]
            type = "s3"
            region = "eu-central-1"
            bucket = "attic"
            endpoint = "https://s3.example.org"
            [storage.credentials]
            access_key_id = "AKID"
            secret_access_key = "SECRET"
            """);
        Assert.Equal(new S3StorageConfig("eu-central-1", "attic", "https://s3.example.org", "AKID", "SECRET"), config.Storage);
    }

    [Fact]
    public void Without_credentials_the_sdk_chain_is_used_and_half_a_credentials_section_is_an_error()
    {
        Assert.Equal(new S3StorageConfig("us-east-1", "b", null, null, null),
            Read("[storage]\ntype = \"s3\"\nregion = \"us-east-1\"\nbucket = \"b\"\n").Storage);
        var error = Assert.Throws<ConfigException>(() =>
            Read("[storage]\ntype = \"s3\"\nregion = \"r\"\nbucket = \"b\"\n[storage.credentials]\naccess_key_id = \"AKID\"\n"));
        Assert.Contains("storage.credentials.secret_access_key", error.Message);
        Assert.Contains("storage.bucket", Assert.Throws<ConfigException>(() => Read("[storage]\ntype = \"s3\"\nregion = \"r\"\n")).Message);
    }

    [Fact]
    public void Aws_gets_the_region_endpoint_and_a_custom_endpoint_gets_path_style_addressing()
    {
        var aws = S3ClientFactory.ConfigFor(new S3StorageConfig("eu-west-1", "b", null, null, null));
        Assert.Equal(RegionEndpoint.EUWest1, aws.RegionEndpoint);
        Assert.False(aws.ForcePathStyle);

        var custom = S3ClientFactory.ConfigFor(new S3StorageConfig("garage", "b", "http://127.0.0.1:3900", null, null));
        Assert.Equal("http://127.0.0.1:3900", custom.ServiceURL.TrimEnd('/'));
        Assert.True(custom.ForcePathStyle);
        Assert.Equal("garage", custom.AuthenticationRegion);

        Assert.Throws<ConfigException>(() => S3ClientFactory.ConfigFor(new S3StorageConfig("r", "b", "s3.example.org", null, null)));
    }
}
