using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>Attic's error body: <c>{"code":404,"error":"NoSuchCache","message":"…"}</c>, keys in this order.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message);
