using System.Text.Json.Serialization;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Api;

/// <summary>
/// <c>GET /healthz</c>: the process answers (a liveness probe). <c>GET /readyz</c>: it can serve now, because its
/// database and its storage each answered within <see cref="ProbeTimeout"/> (a readiness probe, or a load balancer's
/// health check): 200, or 503 saying which failed and why. Neither needs a token; neither says more than that.
/// </summary>
internal static class HealthEndpoints
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IResult Live() => Results.Text("ok\n", "text/plain; charset=utf-8");

    public static async Task<IResult> ReadyAsync(MetadataStore metadata, IBlobStorage storage, CancellationToken ct)
    {
        var database = ProbeAsync(metadata.PingAsync, ct);
        var blobs = ProbeAsync(storage.CheckReachableAsync, ct);
        var readiness = new Readiness(await database, await blobs);
        var ready = readiness.Database == Readiness.Ok && readiness.Storage == Readiness.Ok;
        return Results.Json(readiness, HealthJsonContext.Default.Readiness, statusCode: ready ? 200 : 503);
    }

    private static async Task<string> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe(timeout.Token);
            return Readiness.Ok;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return Core.Nix.Printable.Truncate(e.Message);
        }
    }
}

/// <summary>What <c>/readyz</c> answers: <c>"ok"</c>, or why not, for each part.</summary>
internal sealed record Readiness(string Database, string Storage)
{
    public const string Ok = "ok";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Readiness))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
