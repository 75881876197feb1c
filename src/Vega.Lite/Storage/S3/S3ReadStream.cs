using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Storage.S3;

/// <summary>
/// An S3 object's bytes from an offset to its end, never silently short (Attic #101): when a response body ends
/// early or fails, reading goes on with a new ranged GET from the current position, pinned to the object's ETag.
/// After <see cref="MaxAttempts"/> resumes in a row that deliver nothing, the read throws an <see cref="IOException"/>.
/// </summary>
internal sealed class S3ReadStream : ReadOnlyStream
{
    internal const int MaxAttempts = 4;

    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;
    private readonly ILogger _logger;
    private readonly string _etag;
    private readonly long _end;
    private GetObjectResponse? _response;
    private long _position;
    private int _failures;
    private bool _disposed;

    public S3ReadStream(IAmazonS3 s3, string bucket, string key, GetObjectResponse response, long offset, ILogger logger)
    {
        _s3 = s3;
        _bucket = bucket;
        _key = key;
        _logger = logger;
        _response = response;
        _etag = response.ETag;
        _position = offset;
        _end = offset + response.ContentLength;
    }

    /// <summary>How many times a cut response was resumed (for tests and logs).</summary>
    internal int Resumes { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= _end)
        {
            return 0;
        }
        var want = (int)Math.Min(buffer.Length, _end - _position);
        while (true)
        {
            Exception failure;
            try
            {
                _response ??= await ResumeAsync(ct);
                var n = await _response.ResponseStream.ReadAsync(buffer[..want], ct);
                if (n > 0)
                {
                    _position += n;
                    _failures = 0;
                    return n;
                }
                failure = new IOException($"the response ended at byte {_position} of {_end}");
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                failure = e;
            }
            Close(ref _response);
            if (++_failures > MaxAttempts)
            {
                throw new IOException(
                    $"S3 object {_key}: reading stopped at byte {_position} of {_end} and {MaxAttempts} ranged GETs to resume failed",
                    failure);
            }
            _logger.LogWarning("S3 object {Key}: read cut at byte {Position} of {End} ({Reason}); resuming",
                _key, _position, _end, failure.Message);
            await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << (_failures - 1))), ct);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async Task<GetObjectResponse> ResumeAsync(CancellationToken ct)
    {
        Resumes++;
        try
        {
            return await _s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _bucket,
                Key = _key,
                ByteRange = new ByteRange(_position, _end - 1),
                EtagToMatch = _etag,
            }, ct);
        }
        catch (AmazonS3Exception e) when (S3BlobStorage.IsNotFound(e) || e.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            throw new IOException($"S3 object {_key} was deleted or replaced while being read (at byte {_position} of {_end})", e);
        }
    }

    /// <summary>A failure a new request may get past; cancellation by the caller and a vanished object are not.</summary>
    private static bool IsTransient(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested
        && e is HttpRequestException or AmazonClientException or AmazonServiceException or OperationCanceledException
            or (IOException and not { InnerException: AmazonS3Exception });

    private static void Close(ref GetObjectResponse? response)
    {
        response?.Dispose();
        response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close(ref _response);
            _disposed = true;
        }
        base.Dispose(disposing);
    }
}
