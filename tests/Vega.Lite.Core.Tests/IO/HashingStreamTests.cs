using System.Security.Cryptography;
using Vega.Lite.Core.IO;

namespace Vega.Lite.Core.Tests.IO;

/// <summary>The hash and length the upload checks rely on, fed in pieces as requests arrive.</summary>
public sealed class HashingStreamTests
{
    private static readonly byte[] Data = RandomNumberGenerator.GetBytes(100_003);

    [Fact]
    public void TallyOfPiecesIsTheHashAndLengthOfTheWhole()
    {
        using var tally = new Sha256Tally();
        for (var at = 0; at < Data.Length; at += 7_919)
        {
            tally.Append(Data.AsSpan(at, Math.Min(7_919, Data.Length - at)));
        }
        tally.Append([]);
        Assert.Equal(Data.Length, tally.Length);
        Assert.Equal(SHA256.HashData(Data), tally.GetHash());
    }

    [Fact]
    public async Task ReadStreamPassesBytesThroughAndHashesThem()
    {
        var inner = new MemoryStream(Data);
        var copy = new MemoryStream();
        await using (var hashing = new HashingReadStream(inner, leaveOpen: true))
        {
            await hashing.CopyToAsync(copy, 4_096);
            Assert.Equal(Data.Length, hashing.BytesRead);
            Assert.Equal(SHA256.HashData(Data), hashing.GetHash());
        }
        Assert.Equal(Data, copy.ToArray());
        Assert.True(inner.CanRead); // left open
    }

    [Fact]
    public async Task WriteStreamPassesBytesThroughAndHashesThem()
    {
        var inner = new MemoryStream();
        var hashing = new HashingWriteStream(inner);
        await hashing.WriteAsync(Data.AsMemory(0, 50_000));
        hashing.Write(Data.AsSpan(50_000));
        Assert.Equal(Data.Length, hashing.BytesWritten);
        Assert.Equal(SHA256.HashData(Data), hashing.GetHash());
        Assert.Equal(Data, inner.ToArray());
        await hashing.DisposeAsync();
        Assert.False(inner.CanWrite); // closed with it
    }
}
