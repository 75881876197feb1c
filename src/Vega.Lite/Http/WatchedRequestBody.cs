using System.Globalization;

namespace Vega.Lite.Http;

/// <summary>
/// A request body that records how many bytes arrived and how long its reads waited for them, for the
/// <see cref="RequestBodyWatchdog"/>, which checks it from its timer and aborts the connection when it stalls.
/// A read that finds bytes already buffered costs one field write; only a read that has to wait takes timestamps.
/// </summary>
internal sealed class WatchedRequestBody(Stream inner, RequestBodyWatchdog watchdog, HttpContext context) : Stream
{
    private readonly Lock _gate = new();
    private long _received;
    private long _waited;       // timestamp units spent in finished reads that had to wait
    private long _waitingSince; // timestamp at which the pending read began waiting; 0 when none is pending
    private long _periodWaited;
    private long _periodReceived;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            var n = read.Result;
            Volatile.Write(ref _received, _received + n);
            return new ValueTask<int>(n);
        }
        return WaitAsync(read);
    }

    private async ValueTask<int> WaitAsync(ValueTask<int> read)
    {
        var since = watchdog.Time.GetTimestamp();
        Volatile.Write(ref _waitingSince, since);
        try
        {
            var n = await read.ConfigureAwait(false);
            Volatile.Write(ref _received, _received + n);
            return n;
        }
        finally
        {
            // In this order the watchdog may briefly see less waiting than there was, never more.
            Volatile.Write(ref _waitingSince, 0);
            Volatile.Write(ref _waited, _waited + (watchdog.Time.GetTimestamp() - since));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count); // Kestrel refuses synchronous reads unless allowed; kept as it decides
        Volatile.Write(ref _received, _received + n);
        return n;
    }

    /// <summary>Called from the watchdog's timer: aborts the connection when the body has stalled or crawled.</summary>
    public void Check(long now)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }
            var since = Volatile.Read(ref _waitingSince);
            var pending = since == 0 ? 0 : now - since;
            var idle = watchdog.IdleTicks;
            if (pending >= idle)
            {
                Cut($"no byte of its body for {Seconds(pending)} s (upload.idle-timeout)");
                return;
            }
            var minRate = watchdog.Limits.MinBytesPerSecond;
            var waited = Volatile.Read(ref _waited) + pending;
            if (minRate <= 0 || waited - _periodWaited < idle)
            {
                return;
            }
            var received = Volatile.Read(ref _received);
            var rate = (received - _periodReceived) / ((double)(waited - _periodWaited) / watchdog.Time.TimestampFrequency);
            if (rate < minRate)
            {
                Cut($"its body arrived at {rate.ToString("0", CultureInfo.InvariantCulture)} bytes/s over the last " +
                    $"{Seconds(waited - _periodWaited)} s the server waited for it, below upload.min-rate ({minRate})");
                return;
            }
            _periodWaited = waited;
            _periodReceived = received;
        }
    }

    private void Cut(string why)
    {
        _ended = true;
        watchdog.LogCut(context, why);
        context.Abort(); // the pending read fails and the upload unwinds as when the client closes
        watchdog.Forget(this);
    }

    private string Seconds(long timestampSpan) =>
        ((double)timestampSpan / watchdog.Time.TimestampFrequency).ToString("0.#", CultureInfo.InvariantCulture);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Ends the watch; the inner body belongs to the server and stays open.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _ended = true;
            }
            watchdog.Forget(this);
            watchdog.Metrics.Received(Volatile.Read(ref _received));
        }
        base.Dispose(disposing);
    }
}
