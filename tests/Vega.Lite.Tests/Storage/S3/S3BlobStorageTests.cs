using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Vega.Lite.Storage;
using Vega.Lite.Storage.S3;

namespace Vega.Lite.Tests.Storage.S3;

/// <summary>S3BlobStorage against a real s3rver: one server for the class, a fresh one where a test stops it.</summary>
public sealed class S3BlobStorageTests(S3BlobStorageTests.Fixture fixture) : IClassFixture<S3BlobStorageTests.Fixture>
{
    private const int MiB = 1024 * 1024;
    private readonly S3rver _s3 = fixture.Server;

    public sealed class Fixture : IAsyncLifetime
    {
        public S3rver Server { get; private set; } = null!;
        public async Task InitializeAsync() => Server = await S3rver.StartAsync();
        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1000, 0)]
    [InlineData(8 * MiB - 1, 0)]
    [InlineData(8 * MiB, 1)]
    [InlineData(20 * MiB + 12345, 3)]
    public async Task What_is_written_reads_back_byte_identical_in_8_MiB_parts_from_8_MiB_on(int size, int parts)
    {
        var storage = Storage();
        var data = RandomNumberGenerator.GetBytes(size);
        var key = await Blobs.WriteAsync(storage, data);

        Assert.True(BlobKey.IsValid(key));
        Assert.Contains(key, await _s3.ListKeysAsync()); // at the bucket's root, under the key itself
        Assert.Equal(data, await Blobs.ReadAsync(storage, key, 0));
        var requests = RequestsFor(key);
        Assert.Equal(parts, requests.Count(r => r.StartsWith("PUT ") && r.Contains("uploadId=")));
        Assert.Equal(parts == 0 ? 1 : 0, requests.Count(r => r.StartsWith("PUT ") && !r.Contains('?')));
    }

    [Fact]
    public async Task Parts_go_out_while_the_blob_is_still_being_written_and_nothing_is_visible_before_commit()
    {
        var storage = Storage();
        var data = RandomNumberGenerator.GetBytes(17 * MiB);
        var key = BlobKey.New();
        await using var upload = await storage.BeginUploadAsync(key, default);
        await upload.Content.WriteAsync(data);
        var pending = (S3Upload)upload;
        var uploadId = pending.MultipartUploadId!;
        Assert.True(await _s3.SawRequestAsync(r => r.StartsWith("PUT ") && r.Contains($"uploadId={uploadId}") && r.Contains("partNumber=1")),
            $"part 1 was not sent before commit:\n{_s3.Log}");
        Assert.DoesNotContain(pending.Key, await _s3.ListKeysAsync());
        Assert.False(await storage.ExistsAsync(pending.Key, default));

        await upload.CommitAsync(default);
        Assert.Equal(data, await Blobs.ReadAsync(storage, key, 0));
        Assert.Equal(pending.Key, key);
    }

    [Fact]
    public async Task Reads_start_at_any_offset()
    {
        var storage = Storage();
        var data = RandomNumberGenerator.GetBytes(9 * MiB + 77);
        var key = await Blobs.WriteAsync(storage, data);
        foreach (var offset in new[] { 1, 100, 8 * MiB, data.Length - 1, data.Length })
        {
            Assert.Equal(data[offset..], await Blobs.ReadAsync(storage, key, offset));
        }
        var small = await Blobs.WriteAsync(storage, "hello"u8.ToArray());
        Assert.Equal("llo"u8.ToArray(), await Blobs.ReadAsync(storage, small, 2));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(9 * MiB)]
    public async Task An_upload_disposed_without_commit_leaves_no_object_and_aborts_its_multipart_upload(int size)
    {
        var storage = Storage();
        var before = await _s3.ListKeysAsync();
        string? uploadId;
        await using (var upload = await storage.BeginUploadAsync(BlobKey.New(), default))
        {
            await upload.Content.WriteAsync(RandomNumberGenerator.GetBytes(size));
            uploadId = ((S3Upload)upload).MultipartUploadId;
        }
        Assert.Equal(before.Order(), (await _s3.ListKeysAsync()).Order());
        if (uploadId is null)
        {
            Assert.True(size < S3Upload.PartSize);
            return;
        }
        // s3rver 3.7.1 does not implement AbortMultipartUpload (it answers 405), so what is checked is that the
        // abort was sent for this upload, and that the upload was never completed.
        Assert.True(await _s3.SawRequestAsync(r => r.StartsWith("DELETE ") && r.Contains($"uploadId={uploadId}")),
            $"no AbortMultipartUpload for {uploadId}:\n{_s3.Log}");
        Assert.DoesNotContain(_s3.Requests, r => r.StartsWith("POST ") && r.Contains($"uploadId={uploadId}"));
    }

    [Fact]
    public async Task Exists_delete_and_missing_keys()
    {
        var storage = Storage();
        var key = await Blobs.WriteAsync(storage, "x"u8.ToArray());
        var missing = BlobKey.New();
        Assert.True(await storage.ExistsAsync(key, default));
        Assert.False(await storage.ExistsAsync(missing, default));
        Assert.Null(await storage.OpenReadAsync(missing, 0, default));
        Assert.Null(await storage.OpenReadAsync(missing, 5, default));

        await storage.DeleteAsync(key, default);
        Assert.False(await storage.ExistsAsync(key, default));
        await storage.DeleteAsync(key, default); // already gone counts as deleted (Attic #361)
        await storage.DeleteAsync(missing, default);
        Assert.DoesNotContain(key, await _s3.ListKeysAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => storage.ExistsAsync("../x.chunk", default));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(9 * MiB)]
    public async Task A_stopped_endpoint_makes_the_upload_throw_and_leaves_no_object(int size)
    {
        await using var s3 = await S3rver.StartAsync();
        var storage = new S3BlobStorage(s3.Client(c => c.MaxErrorRetry = 0), S3rver.Bucket, NullLogger.Instance);
        await using var upload = await storage.BeginUploadAsync(BlobKey.New(), default);
        await upload.Content.WriteAsync(RandomNumberGenerator.GetBytes(size / 2));
        await s3.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await upload.Content.WriteAsync(RandomNumberGenerator.GetBytes(size - size / 2));
            await upload.CommitAsync(default);
        });
        await Assert.ThrowsAnyAsync<Exception>(() => upload.CommitAsync(default)); // a failed upload stays failed
    }

    [Fact]
    public async Task Without_configured_credentials_the_aws_environment_variables_are_used()
    {
        var withoutCredentials = _s3.StorageConfig with { AccessKeyId = null, SecretAccessKey = null };
        var previous = (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
            var storage = S3BlobStorage.Create(withoutCredentials, NullLogger.Instance);
            var key = await Blobs.WriteAsync(storage, "from the environment"u8.ToArray());
            // s3rver checks every signature against S3RVER/S3RVER, and the SDK sends nothing without credentials.
            Assert.Equal("from the environment"u8.ToArray(), await Blobs.ReadAsync(storage, key, 0));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", previous.Item1);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", previous.Item2);
        }
    }

    private S3BlobStorage Storage() => new(_s3.Client(), S3rver.Bucket, NullLogger.Instance);

    private string[] RequestsFor(string key) => _s3.Requests.Where(r => r.Contains($"/{S3rver.Bucket}/{key}")).ToArray();
}
