using Vega.Lite.Core.IO;
using Vega.Lite.Core.Nix;
using Vega.Lite.Core.Nix.Nar;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Ingest;

/// <summary>
/// A NAR being ingested: what has been read of it (hash, size, grammar) and the chunks it is made of, new blobs held by
/// an upload lease until the caller records the NAR. Disposing it without recording deletes the new blobs.
/// </summary>
internal sealed class PendingNar(IBlobStorage storage, MetadataStore metadata, string compression, bool chunked) : IAsyncDisposable
{
    private readonly Sha256Tally _nar = new();
    private readonly NarValidator _validator = new();
    private readonly List<PlannedChunk> _chunks = [];
    private readonly SemaphoreSlim _leaseGate = new(1, 1);
    private UploadLease? _lease;
    private int _blobCount;
    private bool _recorded;
    private NixHash _finalHash;

    public long NarSize => _nar.Length;
    public string? InvalidReason { get; private set; }
    public NixHash NarHash => _finalHash;
    public string Compression => compression;

    /// <summary>Compressed bytes of all chunks, reused ones included (Attic's <c>file_size</c>).</summary>
    public long FileSize { get; private set; }

    /// <summary>Uncompressed bytes of chunks that already existed, over the NAR's size; null for a whole-NAR upload.</summary>
    public double? FracDeduplicated => chunked ? NarSize == 0 ? 0 : (double)DeduplicatedBytes / NarSize : null;

    private long DeduplicatedBytes { get; set; }

    /// <summary>Whether this NAR wrote any blob of its own; one made only of stored chunks has nothing to flush.</summary>
    public bool HasNewBlobs { get; private set; }

    /// <summary>Accounts the next bytes of the NAR, in order. False once they are known not to be a NAR.</summary>
    public bool Inspect(ReadOnlySpan<byte> bytes)
    {
        _nar.Append(bytes);
        if (InvalidReason is null)
        {
            try
            {
                _validator.Feed(bytes);
            }
            catch (InvalidDataException e)
            {
                InvalidReason = e.Message;
            }
        }
        return InvalidReason is null;
    }

    /// <summary>Marks the end of the NAR.</summary>
    public void Complete()
    {
        if (InvalidReason is null)
        {
            try
            {
                _validator.Complete();
            }
            catch (InvalidDataException e)
            {
                InvalidReason = e.Message;
            }
        }
        _finalHash = NixHash.FromBytes(_nar.GetHash());
    }

    /// <summary>
    /// The key for the next new blob, taking out the lease before the first one is written. Thread-safe: chunks are
    /// stored several at once.
    /// </summary>
    public async Task<string> NextBlobKeyAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _lease) is null)
        {
            await _leaseGate.WaitAsync(ct);
            try
            {
                if (_lease is null)
                {
                    var lease = UploadLease.New();
                    await metadata.CreateLeaseAsync(lease.Id, ProcessIdentity.Current, ct);
                    Volatile.Write(ref _lease, lease);
                }
            }
            finally
            {
                _leaseGate.Release();
            }
        }
        return _lease!.KeyFor(Interlocked.Increment(ref _blobCount) - 1);
    }

    public void AddExisting(ExistingChunk chunk, long chunkSize)
    {
        _chunks.Add(new PlannedChunk(chunk.Id, null));
        FileSize += chunk.FileSize;
        DeduplicatedBytes += chunkSize;
    }

    public void AddNew(NewChunk chunk)
    {
        HasNewBlobs = true;
        _chunks.Add(new PlannedChunk(null, chunk));
        FileSize += chunk.FileSize;
    }

    /// <summary>
    /// Records the NAR through <paramref name="record"/>, once the caller has checked hash and size; from then on its
    /// new blobs are chunks, unless an identical NAR was used instead. Never for a NAR with an <see cref="InvalidReason"/>.
    /// </summary>
    public async Task<RecordedNar> RecordAsync(Func<NarToRecord, Task<RecordedNar>> record)
    {
        if (InvalidReason is not null)
        {
            throw new InvalidOperationException($"not a NAR: {InvalidReason}");
        }
        var recorded = await record(new NarToRecord(NarHash.ToHexString(), NarSize, compression, _chunks, _lease?.Id));
        _recorded = !recorded.UsedExisting;
        return recorded;
    }

    public async ValueTask DisposeAsync()
    {
        _nar.Dispose();
        if (_recorded || _lease is null)
        {
            return;
        }
        for (var n = 0; n < _blobCount; n++)
        {
            await storage.DeleteAsync(_lease.KeyFor(n), CancellationToken.None);
        }
        await metadata.DeleteLeaseAsync(_lease.Id, CancellationToken.None);
    }
}
