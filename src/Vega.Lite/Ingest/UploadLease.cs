using System.Security.Cryptography;
using System.Text;
using Vega.Lite.Storage;

namespace Vega.Lite.Ingest;

/// <summary>
/// The claim of one upload on the blobs it writes: blob <c>n</c> of lease <c>L</c> has a key derived from both, so
/// the blobs of a lease can be enumerated (0, 1, 2, … until one is missing) without recording each one.
/// </summary>
internal sealed record UploadLease(string Id)
{
    /// <summary>
    /// At most this many of a lease's blobs are being written at once, so a crash leaves at most this many
    /// consecutive keys unwritten (or half-written) among written ones.
    /// </summary>
    public const int MaxBlobsInFlight = 16;

    public static UploadLease New() => new(Guid.NewGuid().ToString("N"));

    /// <summary>A valid <see cref="BlobKey"/> (<c>&lt;uuid&gt;.chunk</c>) that only this lease and counter produce.</summary>
    public string KeyFor(int n)
    {
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes($"{Id}:{n}"));
        return new Guid(digest.AsSpan(0, 16)).ToString("D") + ".chunk";
    }
}
