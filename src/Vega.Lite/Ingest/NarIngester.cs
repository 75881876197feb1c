using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using Vega.Lite.Config;
using Vega.Lite.Core.Chunking;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.IO;
using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Ingest;

/// <summary>
/// The ingest pipeline: one pass over an uncompressed NAR stream that hashes it, checks its grammar, cuts it into
/// content-defined chunks (or keeps it whole), reuses chunks already stored and compresses and stores the others. The
/// result stays invisible until the caller has checked the hash and records it. NAR bytes in memory stay bounded
/// whatever the NAR's size: one read buffer, or a few maximum-size chunks. What grows with the NAR is the list of
/// chunks to record and the few KiB of garbage each chunk leaves, which the managed heap grows by between collections.
/// </summary>
internal sealed class NarIngester(IBlobStorage storage, MetadataStore metadata, CompressionConfig compression, ChunkingConfig chunking)
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Chunks compressed and stored at once: enough to hide storage latency, few enough to bound memory.</summary>
    private static int ParallelChunks => Math.Clamp(Environment.ProcessorCount * 2, 2, UploadLease.MaxBlobsInFlight);

    /// <summary>
    /// Chunks compressed at once, across all uploads: compression is bound by the processor, so more than one per core
    /// gains nothing, and each one holds a zstd context (1.24 MiB at level 8, see <see cref="ZstdTableSize"/>) and a frame.
    /// </summary>
    private static readonly SemaphoreSlim CompressionSlots = new(ZstdFrames.MaxConcurrent, ZstdFrames.MaxConcurrent);

    /// <summary>
    /// The input size zstd's tables are sized for: twice the average chunk, which most chunks are below (128 KiB with
    /// Attic's defaults, a 1.24 MiB context at level 8). Larger chunks are compressed in the same tables.
    /// </summary>
    private int ZstdTableSize => Math.Clamp(2 * chunking.AvgSize, chunking.MinSize, chunking.MaxSize);

    /// <summary>
    /// Copies of chunks being stored, one maximum-size buffer each: <see cref="ParallelChunks"/> per upload at once;
    /// enough for two uploads are kept for the next.
    /// </summary>
    private readonly BufferBag _chunkCopies = new(chunking.MaxSize, keep: 2 * ParallelChunks);

    /// <summary>
    /// Compressed frames, one per compression slot: a frame is compressed and written out while its slot is held, so
    /// no more than <see cref="ZstdFrames.MaxConcurrent"/> are in use across all uploads.
    /// </summary>
    private readonly BufferBag _frames = new(ZstdFrames.MaxCompressedLength(chunking.MaxSize), keep: ZstdFrames.MaxConcurrent);

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
            if (pending.InvalidReason is null && pending.HasNewBlobs)
            {
                await storage.FlushAsync(ct); // every new blob durable before the caller may record the NAR
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
        using var stored = new HashingWriteStream(upload.Content, leaveOpen: true);
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
        using var lookup = metadata.OpenChunkLookup(compression.NarInfoName);
        if (await lookup.FindAsync(pending.NarHash, ct) is { } existing)
        {
            pending.AddExisting(existing, pending.NarSize); // the blob just written is dropped with the upload
            return;
        }
        await upload.CommitAsync(ct);
        pending.AddNew(new NewChunk(key, pending.NarHash, pending.NarSize, NixHash.FromBytes(stored.GetHash()),
            stored.BytesWritten, compression.NarInfoName));
    }

    /// <summary>
    /// FastCDC chunks, each looked up by content hash and reused, or compressed and stored as a blob of its own; up to
    /// <see cref="ParallelChunks"/> stored at once, recorded in NAR order.
    /// </summary>
    private async Task IngestChunkedAsync(Stream nar, PendingNar pending, CancellationToken ct)
    {
        using var reader = new ChunkReader(nar, _cdc!);
        using var lookup = metadata.OpenChunkLookup(compression.NarInfoName);
        var inFlight = new Queue<Task<StoredChunk>>();
        var firstOfHash = new ConcurrentDictionary<NixHash, Task<StoredChunk>>();
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
                await limit.WaitAsync(ct);
                var copy = _chunkCopies.Rent();
                chunk.CopyTo(copy);
                var length = chunk.Length;
                // On the thread pool: hashing, lookup, compression and write of a chunk run beside the read loop.
                // No token for Task.Run: a task cancelled before it starts would never return its buffer and slot
                // (StoreChunkAsync observes the token itself, and its finally returns both).
                inFlight.Enqueue(Task.Run(() => StoreChunkAsync(pending, lookup, copy, length, firstOfHash, limit, ct)));
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
            await ((Task)Task.WhenAll(inFlight)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        pending.Complete();
    }

    /// <summary>A chunk of the NAR, in NAR order: reused from an earlier NAR, or stored now.</summary>
    private readonly record struct StoredChunk(ExistingChunk? Existing, NewChunk? New, long Size);

    private static void Add(PendingNar pending, StoredChunk chunk)
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

    /// <summary>
    /// Stores one chunk unless a recorded one has its hash. The same bytes twice in one NAR are stored once: the
    /// later copy waits for the first (<paramref name="firstOfHash"/>) and shares its result.
    /// </summary>
    private async Task<StoredChunk> StoreChunkAsync(
        PendingNar pending, ChunkLookup lookup, byte[] bytes, int length, ConcurrentDictionary<NixHash, Task<StoredChunk>> firstOfHash,
        SemaphoreSlim limit, CancellationToken ct)
    {
        var mine = new TaskCompletionSource<StoredChunk>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var hash = NixHash.Of(bytes.AsSpan(0, length));
            var first = firstOfHash.GetOrAdd(hash, mine.Task);
            if (first != mine.Task)
            {
                return await first;
            }
            try
            {
                var stored = await StoreNewChunkAsync(pending, lookup, hash, bytes.AsMemory(0, length), ct);
                mine.SetResult(stored);
                return stored;
            }
            catch (Exception e)
            {
                mine.SetException(e);
                throw;
            }
        }
        finally
        {
            _chunkCopies.Return(bytes);
            limit.Release();
        }
    }

    private async Task<StoredChunk> StoreNewChunkAsync(PendingNar pending, ChunkLookup lookup, NixHash hash, ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        if (await lookup.FindAsync(hash, ct) is { } existing)
        {
            return new StoredChunk(existing, null, chunk.Length);
        }
        var key = await pending.NextBlobKeyAsync(ct);
        await using var upload = await storage.BeginUploadAsync(key, ct);
        var (fileHash, fileSize) = await WriteCompressedAsync(upload.Content, chunk, ct);
        await upload.CommitAsync(ct);
        return new StoredChunk(null, new NewChunk(key, hash, chunk.Length, fileHash, fileSize, compression.NarInfoName), chunk.Length);
    }

    /// <summary>
    /// A chunk into one compressed blob; returns the blob's hash and size. zstd in one shot on a pooled context, the
    /// frame hashed in one call; other types as a stream, hashed as they pass.
    /// </summary>
    private async Task<(NixHash Hash, long Size)> WriteCompressedAsync(Stream output, ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        if (compression.Type != CompressionType.Zstd)
        {
            using var stored = new HashingWriteStream(output, leaveOpen: true);
            await using (var compressor = OpenCompressor(stored, workers: 0))
            {
                await compressor.WriteAsync(chunk, ct);
            }
            return (NixHash.FromBytes(stored.GetHash()), stored.BytesWritten);
        }
        await CompressionSlots.WaitAsync(ct);
        var frame = _frames.Rent();
        try
        {
            var length = ZstdFrames.Compress(chunk.Span, frame, compression.EffectiveLevel, ZstdTableSize);
            await output.WriteAsync(frame.AsMemory(0, length), ct);
            return (NixHash.Of(frame.AsSpan(0, length)), length);
        }
        finally
        {
            _frames.Return(frame);
            CompressionSlots.Release();
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
