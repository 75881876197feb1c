using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>
/// Attic's <c>CacheConfig</c>: the GET response (every key but <c>keypair</c> present) and the PATCH body (every key
/// optional). Keys in Attic's order.
/// </summary>
public sealed record CacheConfig
{
    [JsonPropertyName("keypair")] public KeypairConfig? Keypair { get; init; }
    [JsonPropertyName("substituter_endpoint")] public string? SubstituterEndpoint { get; init; }
    [JsonPropertyName("api_endpoint")] public string? ApiEndpoint { get; init; }
    [JsonPropertyName("public_key")] public string? PublicKey { get; init; }
    [JsonPropertyName("is_public")] public bool? IsPublic { get; init; }
    [JsonPropertyName("store_dir")] public string? StoreDir { get; init; }
    [JsonPropertyName("priority")] public int? Priority { get; init; }
    [JsonPropertyName("upstream_cache_key_names")] public List<string>? UpstreamCacheKeyNames { get; init; }
    [JsonPropertyName("retention_period")] public RetentionPeriodConfig? RetentionPeriod { get; init; }
}

/// <summary>Attic's <c>CreateCacheRequest</c>: all five keys required.</summary>
public sealed record CreateCacheRequest
{
    [JsonPropertyName("keypair")] public required KeypairConfig Keypair { get; init; }
    [JsonPropertyName("is_public")] public required bool IsPublic { get; init; }
    [JsonPropertyName("store_dir")] public required string StoreDir { get; init; }
    [JsonPropertyName("priority")] public required int Priority { get; init; }
    [JsonPropertyName("upstream_cache_key_names")] public required List<string> UpstreamCacheKeyNames { get; init; }
}
