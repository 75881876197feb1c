using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>
/// Attic's <c>UploadPathNarInfo</c> (docs/attic-api.md §3.4): the metadata of one store path, sent in the
/// <c>X-Attic-Nar-Info</c> header or as the body's preamble. Unknown keys are ignored, as serde does.
/// </summary>
public sealed record UploadPathNarInfo
{
    [JsonPropertyName("cache")] public required string Cache { get; init; }
    [JsonPropertyName("store_path_hash")] public required string StorePathHash { get; init; }
    [JsonPropertyName("store_path")] public required string StorePath { get; init; }
    [JsonPropertyName("references")] public required List<string> References { get; init; }
    [JsonPropertyName("system")] public string? System { get; init; }
    [JsonPropertyName("deriver")] public string? Deriver { get; init; }
    [JsonPropertyName("sigs")] public required List<string> Sigs { get; init; }
    [JsonPropertyName("ca")] public string? Ca { get; init; }
    [JsonPropertyName("nar_hash")] public required string NarHash { get; init; }
    [JsonPropertyName("nar_size")] public required ulong NarSize { get; init; }
}

/// <summary>Attic's <c>UploadPathResultKind</c>.</summary>
public enum UploadPathResultKind
{
    Uploaded,
    Deduplicated,
}

/// <summary>
/// Attic's <c>UploadPathResult</c>: <c>file_size</c> is left out when unknown, <c>frac_deduplicated</c> is always
/// present (null for whole-NAR uploads and dedups).
/// </summary>
public sealed record UploadPathResult
{
    [JsonPropertyName("kind")] public required UploadPathResultKind Kind { get; init; }
    [JsonPropertyName("file_size")] public long? FileSize { get; init; }

    [JsonPropertyName("frac_deduplicated")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? FracDeduplicated { get; init; }
}

/// <summary>Attic's <c>GetMissingPathsRequest</c>: both keys required.</summary>
public sealed record GetMissingPathsRequest
{
    [JsonPropertyName("cache")] public required string Cache { get; init; }
    [JsonPropertyName("store_path_hashes")] public required List<string> StorePathHashes { get; init; }
}

/// <summary>Attic's <c>GetMissingPathsResponse</c>.</summary>
public sealed record GetMissingPathsResponse
{
    [JsonPropertyName("missing_paths")] public required List<string> MissingPaths { get; init; }
}
