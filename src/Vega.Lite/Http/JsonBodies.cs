using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Vega.Lite.Http;

/// <summary>
/// JSON request bodies the way Attic's framework treats them (docs/attic-api.md §1.2): wrong or missing
/// Content-Type 415, over 2 MiB 413, malformed JSON 400, wrong shape 422; each with a plain-text reason.
/// </summary>
internal static class JsonBodies
{
    /// <summary>axum's default JSON body limit, which Attic inherits.</summary>
    public const long Limit = 2 * 1024 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Results.Text("Expected request with `Content-Type: application/json`", statusCode: 415));
        }
        var body = await RequestBodies.ReadLimitedAsync(context.Request, Limit, context.RequestAborted);
        if (body is null)
        {
            return (null, ApiError.PayloadTooLarge);
        }
        try
        {
            using (JsonDocument.Parse(body))
            {
            }
        }
        catch (JsonException e)
        {
            return (null, Results.Text($"Failed to parse the request body as JSON: {e.Message}", statusCode: 400));
        }
        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            return value is null ? (null, Unprocessable("expected a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Unprocessable(e.Message));
        }
    }

    public static IResult Unprocessable(string detail) =>
        Results.Text($"Failed to deserialize the JSON body into the target type: {detail}", statusCode: 422);
}
