using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Vega.Lite.Http;

/// <summary>A 200 <c>application/json</c> response with a Content-Length, written through a source-generated type.</summary>
internal static class JsonResults
{
    public static IResult Ok<T>(T value, JsonTypeInfo<T> type) =>
        Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, type), "application/json");
}
