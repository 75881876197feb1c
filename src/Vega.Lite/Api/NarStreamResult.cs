using Vega.Lite.Http;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;
using Vega.Lite.Storage;

namespace Vega.Lite.Api;

/// <summary>
/// Streams a stored NAR (its chunks' compressed files, concatenated) with Range support. Every chunk is checked
/// before the status line goes out: a missing chunk is a 503 with a JSON body, never a truncated 200. A chunk that
/// vanishes mid-stream aborts the connection, so the client sees a short body against its Content-Length. Either way
/// the chunk is recorded lost, so its paths count as missing and the next push of its bytes repairs them.
/// </summary>
/// <param name="started">When the request began (a timestamp), for the download's duration in the metrics.</param>
internal sealed class NarStreamResult(IBlobStorage storage, NarChunks nar, ServerMetrics metrics, long started) : IResult
{
    public const string ContentType = "application/x-nix-nar";

    private const int ReadSize = 1024 * 1024;

    /// <summary>Bytes written before a flush: several chunks' worth, one large slice of a whole-NAR blob.</summary>
    private const int FlushSize = 256 * 1024;

    /// <summary>
    /// Existence checks in flight at once: on S3 each is a round trip, and a large NAR has thousands of chunks to
    /// check before the status line; local storage answers each at once.
    /// </summary>
    private const int ChecksInFlight = 16;

    public async Task ExecuteAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        if (await FindMissingBlobsAsync(ct) is { Count: > 0 } missing)
        {
            foreach (var chunk in missing)
            {
                await RecordLostAsync(context, chunk);
            }
            await ApiError.IncompleteNar.ExecuteAsync(context);
            return;
        }
        var total = nar.TotalFileSize ?? throw new InvalidDataException($"NAR {nar.NarId} has a chunk of unknown size");
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.AcceptRanges = "bytes";
        var range = ByteRange.Parse(context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null, total, out var unsatisfiable);
        if (unsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{total}";
            await ApiError.RangeNotSatisfiable(context.Request.Headers.Range.ToString(), total).ExecuteAsync(context);
            return;
        }
        var (start, length) = range is { } selected ? (selected.Start, selected.Length) : (0L, total);
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{total}";
        }
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method) || length == 0)
        {
            return;
        }
        try
        {
            await WriteRangeAsync(context, start, length, ct);
        }
        finally
        {
            metrics.Download(started);
        }
    }

    private async Task RecordLostAsync(HttpContext context, ChunkLocation chunk)
    {
        context.RequestServices.GetRequiredService<ILogger<NarStreamResult>>()
            .LogError("NAR {NarId}: blob {Key} is missing from storage; its chunk is recorded lost", nar.NarId, chunk.BlobKey);
        await context.RequestServices.GetRequiredService<MetadataStore>().RecordLostChunkAsync(chunk.ChunkId!.Value, CancellationToken.None);
    }

    /// <summary>
    /// The chunks whose blobs are not in storage, all of them so that one push repairs the NAR; up to
    /// <see cref="ChecksInFlight"/> checked at once. A NAR that is whole costs the same checks.
    /// </summary>
    private async Task<List<ChunkLocation>> FindMissingBlobsAsync(CancellationToken ct)
    {
        var missing = new List<ChunkLocation>();
        var checks = new Queue<(ChunkLocation Chunk, Task<bool> Exists)>();
        try
        {
            foreach (var chunk in nar.Chunks)
            {
                checks.Enqueue((chunk, storage.ExistsAsync(chunk.BlobKey!, ct)));
                if (checks.Count == ChecksInFlight)
                {
                    await NextAsync();
                }
            }
            while (checks.Count > 0)
            {
                await NextAsync();
            }
            return missing;
        }
        finally
        {
            // Checks still in flight after a failure: let them end, their outcome no longer matters.
            await ((Task)Task.WhenAll(checks.Select(c => c.Exists))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        async Task NextAsync()
        {
            var (chunk, exists) = checks.Dequeue();
            if (!await exists)
            {
                missing.Add(chunk);
            }
        }
    }

    private async Task WriteRangeAsync(HttpContext context, long start, long length, CancellationToken ct)
    {
        var writer = context.Response.BodyWriter;
        long chunkStart = 0;
        long unflushed = 0;
        foreach (var chunk in nar.Chunks)
        {
            var size = chunk.FileSize!.Value;
            if (length == 0)
            {
                break;
            }
            if (start >= chunkStart + size)
            {
                chunkStart += size;
                continue;
            }
            var offset = start - chunkStart;
            var take = Math.Min(size - offset, length);
            await using (var source = await storage.OpenReadAsync(chunk.BlobKey!, offset, ct))
            {
                if (source is null)
                {
                    await RecordLostAsync(context, chunk);
                    context.Abort();
                    return;
                }
                var remaining = take;
                while (remaining > 0)
                {
                    var memory = writer.GetMemory((int)Math.Min(ReadSize, remaining));
                    var n = await source.ReadAsync(memory[..(int)Math.Min(memory.Length, remaining)], ct);
                    if (n == 0)
                    {
                        context.Abort(); // the blob is shorter than recorded: fail loudly, never a quiet short body
                        return;
                    }
                    writer.Advance(n);
                    metrics.Sent(n);
                    remaining -= n;
                    // Chunks are small (tens of KiB compressed): one flush, so one socket write, per several of them.
                    unflushed += n;
                    if (unflushed < FlushSize)
                    {
                        continue;
                    }
                    unflushed = 0;
                    var flushed = await writer.FlushAsync(ct);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        return;
                    }
                }
            }
            start += take;
            length -= take;
            chunkStart += size;
        }
        if (unflushed > 0)
        {
            await writer.FlushAsync(ct); // the tail: the response's end does not send what was never flushed
        }
    }
}
