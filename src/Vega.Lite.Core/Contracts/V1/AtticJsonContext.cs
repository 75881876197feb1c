using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>Source-generated JSON for every Attic wire type: no reflection, AOT-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CacheConfig))]
[JsonSerializable(typeof(CreateCacheRequest))]
[JsonSerializable(typeof(UploadPathNarInfo))]
[JsonSerializable(typeof(UploadPathResult))]
[JsonSerializable(typeof(GetMissingPathsRequest))]
[JsonSerializable(typeof(GetMissingPathsResponse))]
public sealed partial class AtticJsonContext : JsonSerializerContext;
