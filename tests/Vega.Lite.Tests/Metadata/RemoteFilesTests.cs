using Vega.Lite.Config;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Metadata;

/// <summary>Reading a chunk's key back from <c>remote_file</c>: the canonical text without a parse, any other JSON serde accepts through one, and every row of another storage refused.</summary>
public sealed class RemoteFilesTests
{
    private const string Key = "0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.chunk";
    private static readonly RemoteFiles S3 = RemoteFiles.For(new S3StorageConfig("eu-central-1", "attic", null, null, null));

    [Fact]
    public void What_the_store_writes_reads_back_as_its_key()
    {
        Assert.Equal(Key, RemoteFiles.Local.KeyOf(RemoteFiles.Local.Json(Key)));
        Assert.Equal(Key, S3.KeyOf(S3.Json(Key)));
        Assert.Equal("0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.nar", RemoteFiles.Local.KeyOf("""{"Local":{"name":"0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.nar"}}"""));
    }

    [Theory]
    [InlineData("""{ "Local" : { "name" : "0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.chunk" } }""")]
    [InlineData("""{"Local":{"name":"0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d\u002echunk"}}""")]
    public void Other_spellings_of_the_same_JSON_read_the_same(string remoteFile) =>
        Assert.Equal(Key, RemoteFiles.Local.KeyOf(remoteFile));

    [Fact]
    public void S3_keys_in_another_order_or_region_read_by_bucket()
    {
        Assert.Equal(Key, S3.KeyOf($$$"""{"S3":{"key":"{{{Key}}}","bucket":"attic","region":"eu-central-1"}}"""));
        Assert.Equal(Key, S3.KeyOf($$$"""{"S3":{"region":"us-east-1","bucket":"attic","key":"{{{Key}}}"}}"""));
    }

    [Theory]
    [InlineData("""{"Local":{"name":"../../etc/passwd"}}""")]
    [InlineData("""{"Local":{"name":"0b7a4c1e\"}}""")]
    [InlineData("""{"S3":{"region":"eu-central-1","bucket":"attic","key":"0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.chunk"}}""")]
    [InlineData("0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.chunk")]
    [InlineData("""{"Local":{"name":"0b7a4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d.chunk"}}x""")]
    public void Rows_local_storage_cannot_hold_are_refused(string remoteFile) =>
        Assert.Throws<InvalidDataException>(() => RemoteFiles.Local.KeyOf(remoteFile));

    [Fact]
    public void Another_bucket_or_local_rows_are_refused_on_S3()
    {
        Assert.Throws<InvalidDataException>(() => S3.KeyOf($$$"""{"S3":{"region":"eu-central-1","bucket":"other","key":"{{{Key}}}"}}"""));
        Assert.Throws<InvalidDataException>(() => S3.KeyOf(RemoteFiles.Local.Json(Key)));
    }
}
