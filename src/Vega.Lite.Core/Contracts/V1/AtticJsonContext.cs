using System.Text.Encodings.Web;
using System.Text.Json;
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
[JsonSerializable(typeof(Dictionary<string, CacheConfig>), TypeInfoPropertyName = "CacheConfigsByName")]
[JsonSerializable(typeof(CreateCacheRequest))]
[JsonSerializable(typeof(UploadPathNarInfo))]
[JsonSerializable(typeof(UploadPathResult))]
[JsonSerializable(typeof(GetMissingPathsRequest))]
[JsonSerializable(typeof(GetMissingPathsResponse))]
public sealed partial class AtticJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For what the server writes: as serde_json does, only quotes, backslashes and control characters are
    /// escaped, so a message reads <c>doesn't</c>, not <c>doesn\u0027t</c>.
    /// </summary>
    public static AtticJsonContext Wire => WireHolder.Instance;

    /// <summary>Initialised on first use, after <see cref="Default"/> (static fields across partial files have no set order).</summary>
    private static class WireHolder
    {
        public static readonly AtticJsonContext Instance =
            new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
