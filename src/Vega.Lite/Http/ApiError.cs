using System.Text.Json;
using Vega.Lite.Core.Contracts.V1;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Http;

/// <summary>
/// Attic's error kinds (docs/attic-api.md §2.2): one place for every status, name and user-facing message.
/// Sent as <c>{"code","error","message"}</c> with a Content-Length.
/// </summary>
internal sealed record ApiError(int Status, string Name, string Message) : IResult
{
    public static readonly ApiError NotFound = new(404, "NotFound", "The URL you requested was not found.");
    public static readonly ApiError Unauthorized = new(401, "Unauthorized", "Unauthorized.");
    public static readonly ApiError InternalServerError =
        new(500, "InternalServerError", "The server encountered an internal error or misconfiguration.");
    public static readonly ApiError NoSuchCache = new(404, "NoSuchCache", "The requested cache does not exist.");
    public static readonly ApiError CacheAlreadyExists = new(400, "CacheAlreadyExists", "The cache already exists.");
    public static readonly ApiError NoSuchObject = new(404, "NoSuchObject", "The requested object does not exist.");
    public static readonly ApiError IncompleteNar =
        new(503, "IncompleteNar", "The requested NAR has missing chunks and needs to be repaired.");
    public static readonly ApiError AccessError =
        new(403, "AccessError", "Access error: User does not have permission to complete this action.");
    /// <summary>Garbage collection took what an upload reuses, between lookup and record: rare, and a retry succeeds.</summary>
    public static readonly ApiError Collected =
        new(503, "ServiceUnavailable", "Stored data this upload reuses was garbage-collected meanwhile; push the path again.");
    public static readonly ApiError PayloadTooLarge = new(413, "PayloadTooLarge", "The request body is too large.");

    /// <summary>Attic's <c>RequestError</c>: 400 with <c>General request error: {detail}</c>.</summary>
    public static ApiError Request(string detail) => new(400, "RequestError", $"General request error: {detail}");

    /// <summary>A malformed 32-character store path hash. Attic answers 500 here; we answer 400 (see README).</summary>
    public static ApiError InvalidStorePathHash(string hash) =>
        new(400, "InvalidStorePathHash", $"Invalid store path hash \"{Printable.Truncate(hash)}\": expected 32 characters of Nix base-32.");

    /// <summary>A Range that starts at or past the end, or asks for no bytes; Content-Range says the length.</summary>
    public static ApiError RangeNotSatisfiable(string range, long length) =>
        new(416, "RangeNotSatisfiable", $"The range \"{Printable.Truncate(range)}\" selects no bytes of this {length}-byte NAR.");

    public static ApiError UnsupportedMediaType(string detail) => new(415, "UnsupportedMediaType", detail);

    public async Task ExecuteAsync(HttpContext context)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(Status, Name, Message), AtticJsonContext.Wire.ErrorResponse);
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }
}
