using Vega.Lite.Config;
using Vega.Lite.Observability;

namespace Vega.Lite.Http;

/// <summary>
/// Closes the connection of a request whose body sends nothing for <c>upload.idle-timeout</c>, or less than
/// <c>upload.min-rate</c> bytes a second over such a period. Only time the server spends waiting for the body counts,
/// so a slow storage backend is never held against the client. Kestrel's own minimum rate averages over the whole
/// request: a body that started fast and then stopped was held for hours.
/// </summary>
internal sealed class RequestBodyWatchdog : IDisposable
{
    private readonly HashSet<WatchedRequestBody> _bodies = [];
    private readonly ITimer _timer;
    private readonly TimeSpan _period;
    private readonly ILogger<RequestBodyWatchdog> _log;

    public RequestBodyWatchdog(ServerConfig config, TimeProvider time, ServerMetrics metrics, ILogger<RequestBodyWatchdog> log)
    {
        Time = time;
        Metrics = metrics;
        _log = log;
        Limits = config.Upload;
        IdleTicks = (long)(config.Upload.IdleTimeout.TotalSeconds * time.TimestampFrequency);
        // Checked a few times per idle period, so a stall is cut within about a quarter of it past the limit.
        _period = TimeSpan.FromTicks(Math.Clamp(config.Upload.IdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond));
        _timer = time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public bool Enabled => IdleTicks > 0;
    public UploadConfig Limits { get; }
    public TimeProvider Time { get; }

    /// <summary>Where each body, once it ends, adds the bytes it read.</summary>
    public ServerMetrics Metrics { get; }

    /// <summary>The idle timeout, and the length of each period the minimum rate is averaged over, in timestamp units.</summary>
    public long IdleTicks { get; }

    public WatchedRequestBody Watch(HttpContext context)
    {
        var body = new WatchedRequestBody(context.Request.Body, this, context);
        lock (_bodies)
        {
            if (_bodies.Add(body) && _bodies.Count == 1)
            {
                _timer.Change(_period, _period); // the timer only runs while some body is watched
            }
        }
        return body;
    }

    public void Forget(WatchedRequestBody body)
    {
        lock (_bodies)
        {
            if (_bodies.Remove(body) && _bodies.Count == 0)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>One line for the operator; the client is gone or not listening, so it gets no answer.</summary>
    public void LogCut(HttpContext context, string why) =>
        _log.LogWarning("Closed the connection of {Method} {Path} from {Remote}: {Why}",
            context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, why);

    private void Tick()
    {
        WatchedRequestBody[] bodies;
        lock (_bodies)
        {
            bodies = [.. _bodies];
        }
        var now = Time.GetTimestamp();
        foreach (var body in bodies)
        {
            body.Check(now);
        }
    }

    public void Dispose() => _timer.Dispose();
}
