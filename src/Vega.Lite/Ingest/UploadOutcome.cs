using Vega.Lite.Core.Nix;
using Vega.Lite.Http;

namespace Vega.Lite.Ingest;

/// <summary>What became of an upload: stored (new or deduplicated), or refused with the error to send.</summary>
internal abstract record UploadOutcome
{
    /// <param name="Deduplicated">An identical NAR was already stored, and the upload now points at it.</param>
    /// <param name="FileSize">Compressed bytes of all the NAR's chunks (Attic's <c>file_size</c>); null when deduplicated.</param>
    /// <param name="FracDeduplicated">Bytes of reused chunks over the NAR's size; null when stored whole.</param>
    internal sealed record Stored(NixHash NarHash, long NarSize, bool Deduplicated, long? FileSize, double? FracDeduplicated)
        : UploadOutcome;

    internal sealed record Refused(ApiError Error) : UploadOutcome;
}

/// <summary>What the client said of the bytes it sends; each route knows some of it.</summary>
/// <param name="NarHash">The NAR's hash (Attic: from the upload info).</param>
/// <param name="NarSize">The NAR's size; the body is read up to it, no further.</param>
/// <param name="FileHash">The nix32 SHA-256 of the body as sent (Nix: from the file name).</param>
internal sealed record NarClaim(NixHash? NarHash = null, long? NarSize = null, string? FileHash = null);
