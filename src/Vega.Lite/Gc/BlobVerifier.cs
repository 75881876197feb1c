using System.Security.Cryptography;
using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Gc;

/// <summary>What a verify pass found.</summary>
internal sealed record VerifyReport(
    long Checked, long BytesHashed, int Missing, int Corrupted, int LostEarlier, int Restored, long IncompleteNars, long AffectedPaths)
{
    /// <summary>0 when every NAR is whole; 1 when something is lost (found now or earlier), so a timer or CI can alert.</summary>
    public int ExitCode => Missing + Corrupted + LostEarlier > 0 || IncompleteNars > 0 ? 1 : 0;

    public override string ToString() =>
        $"Verified {Checked} chunks{(BytesHashed > 0 ? $" ({BytesHashed} bytes hashed)" : "")}: " +
        $"{Missing} missing, {Corrupted} corrupted, {LostEarlier} lost earlier, {Restored} restored; " +
        $"{IncompleteNars} NARs ({AffectedPaths} store paths) are incomplete and count as missing until pushed again.";
}

/// <summary>
/// <c>vega-lite verify [--check-hashes]</c>: checks that every valid chunk's blob exists (with the flag: reads it and
/// compares its SHA-256 and size with the recorded file hash and size), and records each one that fails as lost, so
/// its paths count as missing and the next push of its bytes repairs them (MetadataStore.LostChunks.cs). Chunks
/// recorded lost earlier are checked too: with the flag, one whose blob is back and whole is taken back.
/// Each garbage-collection pass runs the existence check too (<c>[garbage-collection] check-blobs</c>; on S3 a request
/// per chunk); the hash check reads every byte, so only this command does it.
/// </summary>
internal sealed class BlobVerifier(MetadataStore metadata, IBlobStorage storage)
{
    private const int PageSize = 500;
    private const int ChecksInFlight = 16;
    private const int ReadSize = 1024 * 1024;

    private enum Outcome { Whole, Missing, Corrupted, Unhashed }

    /// <param name="report">Gets one line per chunk found lost, found still lost, or restored.</param>
    public async Task<VerifyReport> RunAsync(bool checkHashes, Action<string> report, CancellationToken ct)
    {
        long checkedCount = 0, bytesHashed = 0;
        int missing = 0, corrupted = 0, lostEarlier = 0, restored = 0;
        var gate = new Lock();
        long after = 0;
        while (true)
        {
            var page = await metadata.GetChunksToVerifyAsync(PageSize, after, ct);
            if (page.Count == 0)
            {
                break;
            }
            after = page[^1].Id;
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = ChecksInFlight, CancellationToken = ct },
                async (chunk, token) =>
                {
                    var (outcome, detail, hashed) = checkHashes ? await HashAsync(chunk, token) : await CheckExistsAsync(chunk, token);
                    string? line = null;
                    if (chunk.RecordedLost)
                    {
                        if (outcome == Outcome.Whole && await metadata.RestoreLostChunkAsync(chunk.Id, token))
                        {
                            Interlocked.Increment(ref restored);
                            line = $"restored chunk {chunk.Id} (blob {chunk.BlobKey}): its blob is back and matches";
                        }
                        else if (outcome != Outcome.Whole)
                        {
                            Interlocked.Increment(ref lostEarlier);
                            line = $"lost chunk {chunk.Id} (blob {chunk.BlobKey}): recorded lost earlier; {detail}";
                        }
                    }
                    else if (outcome is Outcome.Missing or Outcome.Corrupted && await metadata.RecordLostChunkAsync(chunk.Id, token))
                    {
                        Interlocked.Increment(ref outcome == Outcome.Missing ? ref missing : ref corrupted);
                        line = $"lost chunk {chunk.Id} (blob {chunk.BlobKey}): {detail}";
                    }
                    Interlocked.Add(ref bytesHashed, hashed);
                    Interlocked.Increment(ref checkedCount);
                    if (line is not null)
                    {
                        lock (gate)
                        {
                            report(line);
                        }
                    }
                });
        }
        var (nars, paths) = await metadata.CountIncompleteNarsAsync(ct);
        return new VerifyReport(checkedCount, bytesHashed, missing, corrupted, lostEarlier, restored, nars, paths);
    }

    private async Task<(Outcome, string, long)> CheckExistsAsync(ChunkToVerify chunk, CancellationToken ct) =>
        await storage.ExistsAsync(chunk.BlobKey, ct)
            ? (chunk.RecordedLost ? Outcome.Unhashed : Outcome.Whole, "its blob is present (run with --check-hashes to take it back if it matches)", 0)
            : (Outcome.Missing, "its blob is missing", 0);

    /// <summary>Reads the whole blob; a size or hash that differs from the chunk row's is corrupted.</summary>
    private async Task<(Outcome, string, long)> HashAsync(ChunkToVerify chunk, CancellationToken ct)
    {
        await using var stream = await storage.OpenReadAsync(chunk.BlobKey, 0, ct);
        if (stream is null)
        {
            return (Outcome.Missing, "its blob is missing", 0);
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ReadSize];
        long size = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            size += n;
        }
        if (chunk.FileSize is { } expectedSize && size != expectedSize)
        {
            return (Outcome.Corrupted, $"its blob is corrupted: {size} bytes, recorded {expectedSize}", size);
        }
        var actual = NixHash.FromBytes(sha.GetHashAndReset());
        if (chunk.FileHash is { } recorded && NixHash.TryParse(recorded, out var expected, out _) && actual != expected)
        {
            return (Outcome.Corrupted, $"its blob is corrupted: file hash {actual.ToHexString()}, recorded {expected.ToHexString()}", size);
        }
        return (Outcome.Whole, "", size);
    }
}
