using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Vega.Lite.Storage.S3;

namespace Vega.Lite.Tests.Storage.S3;

/// <summary>
/// Reads through a relay that cuts S3's responses mid-body (Attic #101): the stream resumes with ranged GETs and
/// delivers every byte, or throws; it never ends short.
/// </summary>
public sealed class S3ReadResumeTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private S3rver _s3 = null!;
    private TcpFaultProxy _proxy = null!;
    private byte[] _data = [];
    private string _key = "";

    public async Task InitializeAsync()
    {
        _s3 = await S3rver.StartAsync();
        _proxy = new TcpFaultProxy(_s3.Endpoint);
        _data = RandomNumberGenerator.GetBytes(3 * MiB + 5);
        _key = await Blobs.WriteAsync(new S3BlobStorage(_s3.Client(), S3rver.Bucket, NullLogger.Instance), _data);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _s3.DisposeAsync();
    }

    /// <summary>Storage whose requests go through the relay; no SDK retries, so every cut reaches the stream.</summary>
    private S3BlobStorage ThroughProxy() => new(
        _s3.Client(c => { c.ServiceURL = _proxy.Endpoint.ToString(); c.MaxErrorRetry = 0; }), S3rver.Bucket, NullLogger.Instance);

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_003)]
    public async Task A_response_cut_mid_body_is_resumed_from_where_it_stopped(long offset)
    {
        _proxy.CutAfter = connection => connection < 2 ? 700_000 : null; // the first GET and the first resume are cut
        await using var stream = await ThroughProxy().OpenReadAsync(_key, offset, default);
        using var read = new MemoryStream();
        await stream!.CopyToAsync(read);
        Assert.Equal(2, _proxy.Cuts);
        Assert.Equal(2, ((S3ReadStream)stream!).Resumes);
        Assert.Equal(_data[(int)offset..], read.ToArray());
    }

    [Fact]
    public async Task When_resuming_keeps_failing_the_read_throws_instead_of_ending_short()
    {
        _proxy.CutAfter = connection => connection == 0 ? 700_000 : 20; // every resume dies in its status line
        await using var stream = await ThroughProxy().OpenReadAsync(_key, 0, default);
        using var copy = new MemoryStream();
        var error = await Assert.ThrowsAsync<IOException>(() => stream!.CopyToAsync(copy));
        Assert.Contains(_key, error.Message);
        Assert.InRange(copy.Length, 1, _data.Length - 1);
        Assert.Equal(_data.AsSpan(0, (int)copy.Length).ToArray(), copy.ToArray());
        // Each resume is one GET to the SDK, which (with its HTTP handler) may try it more than once.
        Assert.Equal(S3ReadStream.MaxAttempts, ((S3ReadStream)stream!).Resumes);
        Assert.True(_proxy.Cuts > S3ReadStream.MaxAttempts);
    }
}
