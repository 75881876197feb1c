using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Chunking;

/// <summary>
/// FastCDC content-defined cut points (Xia et al., 2016) with normalized chunking: a gear rolling hash, a stricter
/// mask before the average size and a looser one after, so chunk sizes cluster around it. Pure and allocation-free;
/// <see cref="ChunkReader"/> applies it to a stream.
/// </summary>
public sealed class FastCdc
{
    private static readonly ulong[] Gear = BuildGear();

    private readonly ulong _maskS;
    private readonly ulong _maskL;

    public FastCdc(int minSize, int avgSize, int maxSize)
    {
        if (minSize < 64 || avgSize < minSize || maxSize < avgSize)
        {
            throw new ArgumentException($"chunk sizes must satisfy 64 <= min ({minSize}) <= avg ({avgSize}) <= max ({maxSize})");
        }
        MinSize = minSize;
        AvgSize = avgSize;
        MaxSize = maxSize;
        var bits = BitOperations.Log2((uint)avgSize);
        _maskS = Mask(bits + 2);
        _maskL = Mask(Math.Max(bits - 2, 1));
    }

    public int MinSize { get; }
    public int AvgSize { get; }
    public int MaxSize { get; }

    /// <summary>
    /// The length of the first chunk of <paramref name="data"/>. When <paramref name="final"/> is false and no cut
    /// point is found before the data ends, returns 0: more data is needed (pass at least <see cref="MaxSize"/> bytes).
    /// </summary>
    public int Cut(ReadOnlySpan<byte> data, bool final)
    {
        if (data.Length <= MinSize)
        {
            return final ? data.Length : 0;
        }
        var end = Math.Min(data.Length, MaxSize);
        var normal = Math.Min(end, AvgSize);
        // The hot loop of every upload: references instead of indexing, so no bounds checks (i < end <= data.Length,
        // and a byte always indexes the 256-entry table).
        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        ulong hash = 0;
        var i = MinSize;
        for (; i < normal; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((hash & _maskS) == 0)
            {
                return i + 1;
            }
        }
        for (; i < end; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((hash & _maskL) == 0)
            {
                return i + 1;
            }
        }
        return end == MaxSize || final ? end : 0;
    }

    /// <summary>A mask of <paramref name="bits"/> one-bits spread over the high word, as FastCDC's paper suggests.</summary>
    private static ulong Mask(int bits)
    {
        ulong mask = 0;
        for (var k = 0; k < bits; k++)
        {
            mask |= 1UL << (63 - k * 48 / Math.Max(bits, 1));
        }
        return mask;
    }

    /// <summary>256 pseudo-random 64-bit values from SplitMix64 with a fixed seed: the same cut points on every run.</summary>
    private static ulong[] BuildGear()
    {
        var table = new ulong[256];
        var state = 0x5645_4741_4C49_5445UL; // "VEGALITE"
        for (var k = 0; k < table.Length; k++)
        {
            state += 0x9E37_79B9_7F4A_7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
            table[k] = z ^ (z >> 31);
        }
        return table;
    }
}
