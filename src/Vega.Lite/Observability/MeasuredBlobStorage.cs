using System.Diagnostics;
using Vega.Lite.Storage;

namespace Vega.Lite.Observability;

/// <summary>
/// Times every call to the storage (local or S3) for <c>vega_lite_storage_duration_seconds</c>: a read until its stream
/// is open, a write from its start until it is committed, an existence check, a delete.
/// </summary>
internal sealed class MeasuredBlobStorage(IBlobStorage inner, ServerMetrics metrics) : IBlobStorage
{
    public async Task<IBlobUpload> BeginUploadAsync(string key, CancellationToken ct) =>
        new MeasuredUpload(await inner.BeginUploadAsync(key, ct), metrics, Stopwatch.GetTimestamp());

    public async Task<Stream?> OpenReadAsync(string key, long offset, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.OpenReadAsync(key, offset, ct);
        }
        finally
        {
            metrics.Storage("read", started);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ExistsAsync(key, ct);
        }
        finally
        {
            metrics.Storage("exists", started);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.DeleteAsync(key, ct);
        }
        finally
        {
            metrics.Storage("delete", started);
        }
    }

    public Task CheckReachableAsync(CancellationToken ct) => inner.CheckReachableAsync(ct);

    public Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);

    private sealed class MeasuredUpload(IBlobUpload inner, ServerMetrics metrics, long started) : IBlobUpload
    {
        public Stream Content => inner.Content;

        public async Task CommitAsync(CancellationToken ct)
        {
            await inner.CommitAsync(ct);
            metrics.Storage("write", started);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
