using System.Security.Cryptography;

namespace Vega.Lite.Core.IO;

/// <summary>The SHA-256 and the length of bytes fed to it in order: what a NAR's or a blob's bytes are checked against.</summary>
public sealed class Sha256Tally : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        Length += bytes.Length;
    }

    /// <summary>The SHA-256 of everything appended so far; call once, at the end.</summary>
    public byte[] GetHash() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}
