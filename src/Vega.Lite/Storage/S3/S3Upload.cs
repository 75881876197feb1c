using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vega.Lite.Storage.S3;

/// <summary>
/// One blob being written to S3 with bounded memory, as Attic does it: a blob that ends below
/// <see cref="PartSize"/> is one PutObject at commit; a larger one is a multipart upload whose parts go out as they
/// fill (one part uploading while the next fills: two buffers at most), completed at commit. Nothing exists under
/// the key before <see cref="CommitAsync"/> succeeds. Any failure, or disposal without commit, aborts the multipart
/// upload, and a failed request surfaces as an exception from the write or the commit (Attic #110).
/// </summary>
internal sealed class S3Upload : IBlobUpload
{
    public const int PartSize = 8 * 1024 * 1024;
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;
    private readonly ILogger _logger;
    private readonly List<PartETag> _parts = [];
    private byte[]? _filling;
    private byte[]? _sending;
    private int _filled;
    private string? _uploadId;
    private Task<PartETag>? _inFlight;
    private bool _failed;
    private bool _committed;
    private bool _disposed;

    public S3Upload(IAmazonS3 s3, string bucket, string key, ILogger logger)
    {
        _s3 = s3;
        _bucket = bucket;
        _key = key;
        _logger = logger;
        Content = new S3UploadStream(this);
    }

    public Stream Content { get; }

    /// <summary>The key the blob gets at commit; nothing is stored under it before.</summary>
    internal string Key => _key;

    /// <summary>The multipart upload's id once one has started (for tests and logs).</summary>
    internal string? MultipartUploadId => _uploadId;

    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        EnsureWritable();
        try
        {
            while (!data.IsEmpty)
            {
                data = data[Fill(data.Span)..];
                if (_filled == PartSize)
                {
                    await SendPartAsync(ct);
                }
            }
        }
        catch
        {
            await FailAsync();
            throw;
        }
    }

    /// <summary>The synchronous path: blocks only when a part fills up and has to be sent.</summary>
    internal void Write(ReadOnlySpan<byte> data)
    {
        EnsureWritable();
        try
        {
            while (!data.IsEmpty)
            {
                data = data[Fill(data)..];
                if (_filled == PartSize)
                {
                    SendPartAsync(CancellationToken.None).GetAwaiter().GetResult();
                }
            }
        }
        catch
        {
            FailAsync().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Copies what fits into the part being filled; returns how much that was.</summary>
    private int Fill(ReadOnlySpan<byte> data)
    {
        var n = Math.Min(data.Length, PartSize - _filled);
        var part = Reserve(_filled + n);
        data[..n].CopyTo(part.AsSpan(_filled));
        _filled += n;
        return n;
    }

    /// <summary>
    /// The part buffer, made to hold <paramref name="needed"/> bytes: the first write's size, then a whole
    /// <see cref="PartSize"/> once that is outgrown. A NAR chunk is one write of tens of KiB, and a dozen are stored at
    /// once: a full part each would hold 8 MiB apiece. A whole NAR outgrows its first buffer at once, and grows once.
    /// </summary>
    private byte[] Reserve(int needed)
    {
        if (_filling is { } current && current.Length >= needed)
        {
            return current;
        }
        var grown = ArrayPool<byte>.Shared.Rent(_filling is null ? Math.Min(PartSize, needed) : PartSize);
        if (_filling is not null)
        {
            _filling.AsSpan(0, _filled).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_filling);
        }
        _filling = grown;
        return grown;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        EnsureWritable();
        try
        {
            if (_uploadId is null)
            {
                await _s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = _key,
                    InputStream = new MemoryStream(_filling ?? [], 0, _filled, writable: false),
                    UseChunkEncoding = false,
                    AutoCloseStream = true,
                }, ct);
            }
            else
            {
                if (_filled > 0)
                {
                    await SendPartAsync(ct);
                }
                await TakeInFlightAsync();
                await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = _bucket,
                    Key = _key,
                    UploadId = _uploadId,
                    PartETags = _parts,
                }, ct);
            }
        }
        catch
        {
            await FailAsync();
            throw;
        }
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_committed)
        {
            await AbortAsync();
        }
        Return(ref _filling);
        Return(ref _sending);
    }

    /// <summary>Sends the full buffer as the next part, after the previous part has finished (its buffer is reused).</summary>
    private async Task SendPartAsync(CancellationToken ct)
    {
        _uploadId ??= (await _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = _key }, ct)).UploadId;
        await TakeInFlightAsync();
        var buffer = _filling!;
        var length = _filled;
        _inFlight = UploadPartAsync(buffer, length, _parts.Count + 1, ct);
        (_filling, _sending) = (_sending, buffer);
        _filled = 0;
    }

    private async Task<PartETag> UploadPartAsync(byte[] buffer, int length, int number, CancellationToken ct)
    {
        var response = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket,
            Key = _key,
            UploadId = _uploadId,
            PartNumber = number,
            PartSize = length,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            UseChunkEncoding = false,
        }, ct);
        return new PartETag(number, response.ETag);
    }

    private async Task TakeInFlightAsync()
    {
        if (_inFlight is { } part)
        {
            _inFlight = null;
            _parts.Add(await part);
        }
    }

    private async Task FailAsync()
    {
        _failed = true;
        await AbortAsync();
    }

    /// <summary>Waits for the part in flight, then aborts the multipart upload; best effort, logged when it fails.</summary>
    private async Task AbortAsync()
    {
        if (_inFlight is { } part)
        {
            _inFlight = null;
            try
            {
                await part;
            }
            catch (Exception)
            {
                // its failure has been or will be reported by the write or commit that hit it
            }
        }
        if (_uploadId is not { } uploadId)
        {
            return;
        }
        _uploadId = null;
        try
        {
            using var timeout = new CancellationTokenSource(AbortTimeout);
            await _s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e,
                "Could not abort multipart upload {UploadId} of {Key}: its parts stay stored until a lifecycle rule " +
                "(AbortIncompleteMultipartUpload) removes them", uploadId, _key);
        }
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("the blob has been committed");
        }
        if (_failed)
        {
            throw new IOException("an earlier write to S3 failed; the upload has been aborted");
        }
    }

    private static void Return(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }
}
