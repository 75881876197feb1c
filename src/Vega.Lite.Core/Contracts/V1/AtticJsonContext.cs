using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>Source-generated JSON for every Attic wire type: no reflection, AOT-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CacheConfig))]
[JsonSerializable(typeof(CreateCacheRequest))]
public sealed partial class AtticJsonContext : JsonSerializerContext;
