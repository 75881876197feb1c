using System.Globalization;
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
    /// <remarks>
    /// The UUID is the first 16 bytes of SHA-256 over <c>"{Id}:{n}"</c>. Keys of leases left by another version of the
    /// server are enumerated with this, so it never changes. Made on the stack: one key per chunk, 8,192 per 512 MiB NAR.
    /// </remarks>
    public string KeyFor(int n)
    {
        var length = Encoding.ASCII.GetByteCount(Id) + 1 + 11; // ':' and at most 11 characters of an int
        Span<byte> text = length <= 256 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.ASCII.GetBytes(Id, text);
        text[written++] = (byte)':';
        n.TryFormat(text[written..], out var digits, provider: CultureInfo.InvariantCulture);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text[..(written + digits)], digest);
        return string.Create(KeyLength, new Guid(digest[..16]), static (key, uuid) =>
        {
            uuid.TryFormat(key, out _, "D");
            Suffix.CopyTo(key[36..]);
        });
    }

    private const string Suffix = ".chunk";
    private const int KeyLength = 36 + 6;
}
