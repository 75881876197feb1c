using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Vega.Lite.Config;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.IO;
using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Ingest;

/// <summary>
/// The ingest pipeline: one pass over an uncompressed NAR stream that hashes it, checks its grammar, compresses
/// it and hashes the stored bytes, into a blob that stays invisible until the caller has checked the hash and
/// commits. Memory stays bounded whatever the NAR's size.
/// </summary>
internal sealed class NarIngester(IBlobStorage storage, CompressionConfig compression)
{
    private const int BufferSize = 256 * 1024;

    public async Task<PendingNar> IngestAsync(Stream nar, CancellationToken ct)
    {
        var upload = await storage.BeginUploadAsync(ct);
        try
        {
            var stored = new HashingWriteStream(upload.Content, leaveOpen: true);
            using var narHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var validator = new NarValidator();
            string? invalidReason = null;
            long narSize = 0;
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                await using (var compressor = OpenCompressor(stored))
                {
                    int n;
                    while ((n = await nar.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                    {
                        var chunk = buffer.AsMemory(0, n);
                        narHash.AppendData(chunk.Span);
                        narSize += n;
                        invalidReason ??= Validate(() => validator.Feed(chunk.Span));
                        if (invalidReason is null)
                        {
                            await compressor.WriteAsync(chunk, ct);
                        }
                    }
                    invalidReason ??= Validate(validator.Complete);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            await stored.FlushAsync(ct);
            return new PendingNar(
                upload,
                NixHash.FromBytes(narHash.GetHashAndReset()),
                narSize,
                NixHash.FromBytes(stored.GetHash()),
                stored.BytesWritten,
                compression.NarInfoName,
                invalidReason);
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A grammar error does not stop the read: the stream is still hashed to its end, so the caller can tell a
    /// body that differs from its claim (the likelier fault) from a well-described body that is not a NAR.
    /// </summary>
    private static string? Validate(Action step)
    {
        try
        {
            step();
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    private Stream OpenCompressor(Stream output) => compression.Type switch
    {
        CompressionType.Zstd => new ZstdCompressStream(output, compression.EffectiveLevel, workers: ZstdWorkers, leaveOpen: true),
        CompressionType.Xz => new XzCompressStream(output, compression.EffectiveLevel, leaveOpen: true),
        CompressionType.Brotli => new BrotliStream(output, new BrotliCompressionOptions { Quality = compression.EffectiveLevel }, leaveOpen: true),
        _ => new NonClosingStream(output), // "none": stored as is
    };

    /// <summary>zstd's own worker threads: compression runs beside the request's read loop.</summary>
    private static int ZstdWorkers => Math.Max(1, Environment.ProcessorCount);
}

/// <summary>
/// A NAR written to storage but not yet visible: commit it after checking its hash, or dispose it. Never commit
/// one with an <see cref="InvalidReason"/>: its bytes are not a NAR.
/// </summary>
internal sealed class PendingNar(
    IBlobUpload upload, NixHash narHash, long narSize, NixHash fileHash, long fileSize, string compression, string? invalidReason)
    : IAsyncDisposable
{
    public string? InvalidReason => invalidReason;
    public NixHash NarHash => narHash;
    public long NarSize => narSize;
    public NixHash FileHash => fileHash;
    public long FileSize => fileSize;

    public async Task<StoredNar> CommitAsync(CancellationToken ct)
    {
        if (invalidReason is not null)
        {
            throw new InvalidOperationException($"not a NAR: {invalidReason}");
        }
        var key = await upload.CommitAsync(ct);
        return new StoredNar(narHash.ToHexString(), narSize, compression, fileHash.ToHexString(), fileSize, key);
    }

    public ValueTask DisposeAsync() => upload.DisposeAsync();
}
