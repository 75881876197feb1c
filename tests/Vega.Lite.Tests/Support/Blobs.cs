using Vega.Lite.Storage;

namespace Vega.Lite.Tests.Support;

/// <summary>Writing and reading whole blobs through any <see cref="IBlobStorage"/>, for the storage tests.</summary>
internal static class Blobs
{
    /// <summary>Writes in odd-sized pieces, so parts fill across write boundaries.</summary>
    public static async Task<string> WriteAsync(IBlobStorage storage, byte[] data)
    {
        var key = BlobKey.New();
        await using var upload = await storage.BeginUploadAsync(key, default);
        for (var at = 0; at < data.Length; at += 300_007)
        {
            await upload.Content.WriteAsync(data.AsMemory(at, Math.Min(300_007, data.Length - at)));
        }
        await upload.CommitAsync(default);
        return key;
    }

    public static async Task<byte[]> ReadAsync(IBlobStorage storage, string key, long offset)
    {
        await using var stream = await storage.OpenReadAsync(key, offset, default);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
