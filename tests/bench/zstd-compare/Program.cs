// libzstd (Vega.Lite.Core's ZstdFrames and ZstdCompressStream, the calls the server makes) against ZstdSharp.Port
// (the same zstd in C#), both at the server's level 8 on one core, on a NAR read into memory:
//  - chunks: the NAR cut by FastCDC at the server's default sizes (16/64/256 KiB), each chunk one frame, compressed
//    one shot with tables capped at 128 KiB and a checksum, as NarIngester does;
//  - stream: the whole NAR as one frame with a checksum, written in 64 KiB pieces, as an unchunked upload is.
// Every output is checked to decode to its input with the other library before anything is timed.
// Usage: ZstdCompare NAR [RUNS=3]. Prints one line per measurement and a summary.
using System.Diagnostics;
using Vega.Lite.Core.Chunking;
using Vega.Lite.Core.Compression;
using ZstdSharp;
using ZstdSharp.Unsafe;

const int Level = 8;
const int MinSize = 16 * 1024, AvgSize = 64 * 1024, MaxSize = 256 * 1024;
const int TableSize = 2 * AvgSize; // NarIngester.ZstdTableSize for the default chunking
const int WriteSize = 64 * 1024;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: ZstdCompare NAR [RUNS=3]");
    return 2;
}
byte[] nar = File.ReadAllBytes(args[0]);
int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
List<(int Offset, int Length)> chunks = Cut(nar);
Console.WriteLine($"input: {args[0]}, {Mib(nar.Length):F1} MiB, {chunks.Count} chunks (avg {nar.Length / chunks.Count / 1024} KiB); " +
    $"zstd level {Level}, one thread; {(System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT")}, " +
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");

byte[] frame = new byte[Math.Max(ZstdFrames.MaxCompressedLength(MaxSize), Compressor.GetCompressBound(MaxSize))];
using var sharpChunks = new Compressor(Level);
ZSTD_compressionParameters capped = Methods.ZSTD_getCParams(Level, TableSize, 0);
sharpChunks.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, (int)capped.windowLog);
sharpChunks.SetParameter(ZSTD_cParameter.ZSTD_c_chainLog, (int)capped.chainLog);
sharpChunks.SetParameter(ZSTD_cParameter.ZSTD_c_hashLog, (int)capped.hashLog);
sharpChunks.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);

Func<ReadOnlySpan<byte>, int> libChunk = chunk => ZstdFrames.Compress(chunk, frame, Level, TableSize);
Func<ReadOnlySpan<byte>, int> sharpChunk = chunk => sharpChunks.Wrap(chunk, frame);
Func<Stream, Stream> libStream = sink => new ZstdCompressStream(sink, Level, workers: 0, leaveOpen: true);
Func<Stream, Stream> sharpStream = sink =>
{
    var stream = new CompressionStream(sink, Level, leaveOpen: true);
    stream.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
    return stream;
};

VerifyChunks(libChunk, "libzstd", chunk => new Decompressor().Unwrap(chunk).ToArray());
VerifyChunks(sharpChunk, "ZstdSharp", chunk => LibDecode(chunk));
VerifyStream(libStream, "libzstd", compressed => new DecompressionStream(compressed));
VerifyStream(sharpStream, "ZstdSharp", compressed => new ZstdDecompressStream(compressed));
Console.WriteLine("verified: each library's chunks and stream decode to the input with the other library");

// Warm-up (tiered JIT, first allocations of contexts), then the runs, interleaved so the host's load hits both alike.
TimeChunks(libChunk, 64);
TimeChunks(sharpChunk, 64);
TimeStream(libStream, 16 << 20);
TimeStream(sharpStream, 16 << 20);
var results = new Dictionary<string, List<(double Seconds, long Bytes)>>();
for (int run = 1; run <= runs; run++)
{
    Record("chunks libzstd", run, TimeChunks(libChunk, chunks.Count));
    Record("chunks ZstdSharp", run, TimeChunks(sharpChunk, chunks.Count));
    Record("stream libzstd", run, TimeStream(libStream, nar.Length));
    Record("stream ZstdSharp", run, TimeStream(sharpStream, nar.Length));
}

Console.WriteLine();
Console.WriteLine($"{"median of " + runs,-18} {"MiB/s",8} {"ratio",7}   ZstdSharp / libzstd");
foreach (string mode in new[] { "chunks", "stream" })
{
    (double libSpeed, long libBytes) = Median(results[mode + " libzstd"]);
    (double sharpSpeed, long sharpBytes) = Median(results[mode + " ZstdSharp"]);
    Console.WriteLine($"{mode + " libzstd",-18} {libSpeed,8:F1} {(double)nar.Length / libBytes,7:F3}");
    Console.WriteLine($"{mode + " ZstdSharp",-18} {sharpSpeed,8:F1} {(double)nar.Length / sharpBytes,7:F3}   {sharpSpeed / libSpeed:F2}× the speed");
}
return 0;

void Record(string name, int run, (double Seconds, long Bytes) result)
{
    Console.WriteLine($"run {run}: {name,-17} {result.Seconds,6:F2} s {Mib(nar.Length) / result.Seconds,7:F1} MiB/s  {Mib(result.Bytes),6:F1} MiB out");
    (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(result);
}

(double Seconds, long Bytes) TimeChunks(Func<ReadOnlySpan<byte>, int> compress, int count)
{
    long bytes = 0;
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < count; i++)
    {
        bytes += compress(nar.AsSpan(chunks[i].Offset, chunks[i].Length));
    }
    return (clock.Elapsed.TotalSeconds, bytes);
}

(double Seconds, long Bytes) TimeStream(Func<Stream, Stream> open, int length)
{
    var sink = new CountingSink();
    var clock = Stopwatch.StartNew();
    using (Stream stream = open(sink))
    {
        for (int offset = 0; offset < length; offset += WriteSize)
        {
            stream.Write(nar, offset, Math.Min(WriteSize, length - offset));
        }
    }
    return (clock.Elapsed.TotalSeconds, sink.Length);
}

void VerifyChunks(Func<ReadOnlySpan<byte>, int> compress, string name, Func<byte[], byte[]> decode)
{
    for (int i = 0; i < chunks.Count; i += 37) // a spread sample: the full pass is what gets timed
    {
        ReadOnlySpan<byte> chunk = nar.AsSpan(chunks[i].Offset, chunks[i].Length);
        byte[] decoded = decode(frame.AsSpan(0, compress(chunk)).ToArray());
        if (!chunk.SequenceEqual(decoded))
        {
            throw new InvalidOperationException($"{name}: chunk {i} does not decode to its input");
        }
    }
}

void VerifyStream(Func<Stream, Stream> open, string name, Func<Stream, Stream> openDecoder)
{
    var compressed = new MemoryStream();
    using (Stream stream = open(compressed))
    {
        stream.Write(nar, 0, Math.Min(nar.Length, 32 << 20));
    }
    compressed.Position = 0;
    var decoded = new MemoryStream();
    using (Stream decoder = openDecoder(compressed))
    {
        decoder.CopyTo(decoded);
    }
    if (!nar.AsSpan(0, Math.Min(nar.Length, 32 << 20)).SequenceEqual(decoded.ToArray()))
    {
        throw new InvalidOperationException($"{name}: the stream does not decode to its input");
    }
}

static byte[] LibDecode(byte[] compressed)
{
    using var decoder = new ZstdDecompressStream(new MemoryStream(compressed));
    var output = new MemoryStream();
    decoder.CopyTo(output);
    return output.ToArray();
}

static List<(int, int)> Cut(byte[] data)
{
    var cdc = new FastCdc(MinSize, AvgSize, MaxSize);
    var list = new List<(int, int)>();
    for (int offset = 0; offset < data.Length;)
    {
        int length = cdc.Cut(data.AsSpan(offset), final: true);
        list.Add((offset, length));
        offset += length;
    }
    return list;
}

(double MibPerSecond, long Bytes) Median(List<(double Seconds, long Bytes)> list)
{
    var median = list.OrderBy(r => r.Seconds).ElementAt(list.Count / 2);
    return (Mib(nar.Length) / median.Seconds, median.Bytes);
}

static double Mib(long bytes) => bytes / 1048576.0;

/// <summary>A write-only stream that only counts, so the timings hold compression and nothing else.</summary>
internal sealed class CountingSink : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Position;
    public override long Position { get; set; }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Position += count;
    public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
}
