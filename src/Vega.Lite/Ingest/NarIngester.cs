using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Vega.Lite.Config;
using Vega.Lite.Core.Chunking;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.IO;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Ingest;

/// <summary>
/// The ingest pipeline: one pass over an uncompressed NAR stream that hashes it, checks its grammar, cuts it into
/// content-defined chunks (or keeps it whole), reuses chunks already stored and compresses and stores the others. The
/// result stays invisible until the caller has checked the hash and records it. Memory stays bounded whatever the
/// NAR's size: one read buffer, or a few maximum-size chunks.
/// </summary>
internal sealed class NarIngester(IBlobStorage storage, MetadataStore metadata, CompressionConfig compression, ChunkingConfig chunking)
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Chunks compressed and stored at once: enough to hide storage latency, few enough to bound memory.</summary>
    private static int ParallelChunks => Math.Clamp(Environment.ProcessorCount * 2, 2, UploadLease.MaxBlobsInFlight);

    private readonly FastCdc? _cdc = chunking.NarSizeThreshold == 0 ? null : new FastCdc(chunking.MinSize, chunking.AvgSize, chunking.MaxSize);

    /// <summary>
    /// Whether a NAR of this size is chunked: Attic's rule (threshold 0 = never, else at or above it). A NAR of unknown
    /// size (a `nix copy` upload) is chunked whenever chunking is on.
    /// </summary>
    public bool ShouldChunk(long? narSize) => _cdc is not null && (narSize is null || narSize >= chunking.NarSizeThreshold);

    public async Task<PendingNar> IngestAsync(Stream nar, long? expectedSize, CancellationToken ct)
    {
        var chunked = ShouldChunk(expectedSize);
        var pending = new PendingNar(storage, metadata, compression.NarInfoName, chunked);
        try
        {
            if (chunked)
            {
                await IngestChunkedAsync(nar, pending, ct);
            }
            else
            {
                await IngestWholeAsync(nar, pending, ct);
            }
            return pending;
        }
        catch
        {
            await pending.DisposeAsync();
            throw;
        }
    }

    /// <summary>The whole NAR as one chunk, compressed as it streams (zstd's worker threads beside the read loop).</summary>
    private async Task IngestWholeAsync(Stream nar, PendingNar pending, CancellationToken ct)
    {
        var key = await pending.NextBlobKeyAsync(ct);
        await using var upload = await storage.BeginUploadAsync(key, ct);
        var stored = new HashingWriteStream(upload.Content, leaveOpen: true);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using (var compressor = OpenCompressor(stored, workers: ZstdWorkers))
            {
                int n;
                while ((n = await nar.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                {
                    if (pending.Inspect(buffer.AsSpan(0, n)))
                    {
                        await compressor.WriteAsync(buffer.AsMemory(0, n), ct);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        pending.Complete();
        if (pending.InvalidReason is not null)
        {
            return;
        }
        var chunkHash = pending.NarHash.ToHexString();
        if (await metadata.FindValidChunkAsync(chunkHash, compression.NarInfoName, ct) is { } existing)
        {
            pending.AddExisting(existing, pending.NarSize); // the blob just written is dropped with the upload
            return;
        }
        await upload.CommitAsync(ct);
        pending.AddNew(new NewChunk(key, chunkHash, pending.NarSize, Core.Nix.NixHash.FromBytes(stored.GetHash()).ToHexString(),
            stored.BytesWritten, compression.NarInfoName));
    }

    /// <summary>
    /// FastCDC chunks, each looked up by content hash and reused, or compressed and stored as a blob of its own; up to
    /// <see cref="ParallelChunks"/> stored at once, recorded in NAR order.
    /// </summary>
    private async Task IngestChunkedAsync(Stream nar, PendingNar pending, CancellationToken ct)
    {
        var reader = new ChunkReader(nar, _cdc!);
        var inFlight = new Queue<Task<(ExistingChunk? Existing, NewChunk? New, long Size)>>();
        var storing = new Dictionary<string, Task<(ExistingChunk?, NewChunk?, long)>>(StringComparer.Ordinal);
        using var limit = new SemaphoreSlim(ParallelChunks);
        try
        {
            while (true)
            {
                var chunk = await reader.NextAsync(ct);
                if (chunk.IsEmpty)
                {
                    break;
                }
                if (!pending.Inspect(chunk.Span))
                {
                    continue; // keep hashing to the end; nothing more is stored
                }
                var hash = Core.Nix.NixHash.FromBytes(SHA256.HashData(chunk.Span)).ToHexString();
                if (storing.TryGetValue(hash, out var same))
                {
                    inFlight.Enqueue(same); // the same bytes again within this NAR
                }
                else
                {
                    await limit.WaitAsync(ct);
                    var copy = ArrayPool<byte>.Shared.Rent(chunk.Length);
                    chunk.CopyTo(copy);
                    var length = chunk.Length;
                    var task = StoreChunkAsync(pending, hash, copy, length, limit, ct);
                    storing[hash] = task;
                    inFlight.Enqueue(task);
                }
                while (inFlight.Count > 0 && inFlight.Peek().IsCompleted)
                {
                    Add(pending, await inFlight.Dequeue());
                }
            }
            while (inFlight.Count > 0)
            {
                Add(pending, await inFlight.Dequeue());
            }
        }
        finally
        {
            // On failure, let stores in flight finish before the pending NAR deletes its blobs.
            await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        pending.Complete();
    }

    private static void Add(PendingNar pending, (ExistingChunk? Existing, NewChunk? New, long Size) chunk)
    {
        if (chunk.Existing is not null)
        {
            pending.AddExisting(chunk.Existing, chunk.Size);
        }
        else
        {
            pending.AddNew(chunk.New!);
        }
    }

    private async Task<(ExistingChunk?, NewChunk?, long)> StoreChunkAsync(
        PendingNar pending, string hash, byte[] bytes, int length, SemaphoreSlim limit, CancellationToken ct)
    {
        try
        {
            if (await metadata.FindValidChunkAsync(hash, compression.NarInfoName, ct) is { } existing)
            {
                return (existing, null, length);
            }
            var key = await pending.NextBlobKeyAsync(ct);
            await using var upload = await storage.BeginUploadAsync(key, ct);
            var stored = new HashingWriteStream(upload.Content, leaveOpen: true);
            await using (var compressor = OpenCompressor(stored, workers: 0))
            {
                await compressor.WriteAsync(bytes.AsMemory(0, length), ct);
            }
            await upload.CommitAsync(ct);
            var fileHash = Core.Nix.NixHash.FromBytes(stored.GetHash()).ToHexString();
            return (null, new NewChunk(key, hash, length, fileHash, stored.BytesWritten, compression.NarInfoName), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            limit.Release();
        }
    }

    private Stream OpenCompressor(Stream output, int workers) => compression.Type switch
    {
        CompressionType.Zstd => new ZstdCompressStream(output, compression.EffectiveLevel, workers: workers, leaveOpen: true),
        CompressionType.Xz => new XzCompressStream(output, compression.EffectiveLevel, leaveOpen: true),
        CompressionType.Brotli => new BrotliStream(output, new BrotliCompressionOptions { Quality = compression.EffectiveLevel }, leaveOpen: true),
        _ => new NonClosingStream(output), // "none": stored as is
    };

    /// <summary>zstd's own worker threads for a whole NAR: compression runs beside the request's read loop.</summary>
    private static int ZstdWorkers => Math.Max(1, Environment.ProcessorCount);
}
