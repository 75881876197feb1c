using Vega.Lite.Core.IO;

namespace Vega.Lite.Storage.S3;

/// <summary>
/// The write-only <see cref="IBlobUpload.Content"/> of an <see cref="S3Upload"/>. Disposing it does nothing: the
/// upload's own disposal decides the blob's fate.
/// </summary>
internal sealed class S3UploadStream(S3Upload upload) : WriteOnlyStream
{
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) =>
        upload.WriteAsync(buffer, ct);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        upload.WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Blocks only when a part fills up and has to be sent.</summary>
    public override void Write(ReadOnlySpan<byte> buffer) => upload.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => upload.Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
}
