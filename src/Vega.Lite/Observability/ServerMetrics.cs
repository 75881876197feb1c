using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vega.Lite.Observability;

/// <summary>
/// Vega.Lite's own instruments, on the <c>Vega.Lite</c> meter, which <c>GET /metrics</c> exports in Prometheus' text
/// format (docs/operations.md lists every series). Requests by route and status are ASP.NET Core's own
/// <c>http.server.request.duration</c>; the gauges read from the database are <see cref="CacheStatistics"/>'s.
/// Recording costs nothing while no exporter listens (the CLI commands, a server with <c>[metrics] enabled = false</c>).
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "Vega.Lite";

    /// <summary>Seconds: from a millisecond narinfo lookup to a many-minute push of gigabytes.</summary>
    private static readonly double[] DurationBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Histogram<double> _uploadDuration;
    private readonly UpDownCounter<long> _uploadsActive;
    private readonly Counter<long> _uploadNarBytes;
    private readonly Counter<long> _uploadDeduplicatedBytes;
    private readonly Histogram<double> _downloadDuration;
    private readonly Counter<long> _gcPasses;
    private readonly Histogram<double> _gcDuration;
    private readonly Counter<long> _gcFreed;
    private readonly Histogram<double> _databaseDuration;
    private readonly Histogram<double> _storageDuration;

    public ServerMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _received = Meter.CreateCounter<long>("vega_lite.http.received", "By", "Request body bytes the server read");
        _sent = Meter.CreateCounter<long>("vega_lite.http.sent", "By",
            "Response body bytes: a NAR's as written (a download cut short counts what went out), any other's Content-Length");
        _uploadDuration = Meter.CreateHistogram("vega_lite.upload.duration", "s",
            "Time an upload took, from its first body byte to its answer, by route and outcome", advice: Seconds());
        _uploadsActive = Meter.CreateUpDownCounter<long>("vega_lite.uploads.active", "{upload}", "Uploads in flight");
        _uploadNarBytes = Meter.CreateCounter<long>("vega_lite.upload.nar", "By", "NAR bytes of the uploads stored");
        _uploadDeduplicatedBytes = Meter.CreateCounter<long>("vega_lite.upload.deduplicated", "By",
            "NAR bytes of the uploads stored that were already in storage (a whole NAR or its chunks)");
        _downloadDuration = Meter.CreateHistogram("vega_lite.download.duration", "s",
            "Time a NAR download took, from the request to its last byte", advice: Seconds());
        _gcPasses = Meter.CreateCounter<long>("vega_lite.gc.passes", "{pass}", "Garbage-collection passes, by outcome");
        _gcDuration = Meter.CreateHistogram("vega_lite.gc.duration", "s", "Time a garbage-collection pass took", advice: Seconds());
        _gcFreed = Meter.CreateCounter<long>("vega_lite.gc.freed", "By", "Stored (compressed) bytes garbage collection deleted");
        _databaseDuration = Meter.CreateHistogram("vega_lite.db.duration", "s",
            "Time a metadata query took, by operation: narinfo lookup, missing paths, recording an upload", advice: Seconds());
        _storageDuration = Meter.CreateHistogram("vega_lite.storage.duration", "s",
            "Time a storage call took, by operation (a read until its stream is open, a write until committed)", advice: Seconds());
    }

    public Meter Meter { get; }

    public void Received(long bytes) => _received.Add(bytes);

    public void Sent(long bytes) => _sent.Add(bytes);

    /// <summary>Counts an upload in flight until the returned value is disposed, then records its duration.</summary>
    public UploadTiming StartUpload(string route)
    {
        _uploadsActive.Add(1);
        return new UploadTiming(this, route, Stopwatch.GetTimestamp());
    }

    public void UploadStored(long narBytes, long deduplicatedBytes)
    {
        _uploadNarBytes.Add(narBytes);
        _uploadDeduplicatedBytes.Add(deduplicatedBytes);
    }

    public void Download(long startedTimestamp) => _downloadDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);

    public void GcPass(string outcome, TimeSpan duration, long freedBytes)
    {
        _gcPasses.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _gcDuration.Record(duration.TotalSeconds);
        _gcFreed.Add(freedBytes);
    }

    public void Database(string operation, long startedTimestamp) =>
        _databaseDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void Storage(string operation, long startedTimestamp) =>
        _storageDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    private static InstrumentAdvice<double> Seconds() => new() { HistogramBucketBoundaries = DurationBuckets };

    /// <summary>An upload being timed; <see cref="Outcome"/> names how it ended (else it counts as failed).</summary>
    internal sealed class UploadTiming(ServerMetrics metrics, string route, long started) : IDisposable
    {
        public string Outcome { get; set; } = "failed";

        public void Dispose()
        {
            metrics._uploadsActive.Add(-1);
            metrics._uploadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("outcome", Outcome));
        }
    }
}
