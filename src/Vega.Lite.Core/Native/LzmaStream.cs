using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>
/// <c>lzma_stream</c> exactly as declared in /usr/include/lzma/base.h (liblzma 5.x):
/// 136 bytes on 64-bit targets. liblzma keeps a pointer to it while the coder is alive,
/// so it only ever lives in native memory (see <see cref="LzmaStreamHandle"/>).
/// <c>LZMA_STREAM_INIT</c> is all zero.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaStream
{
    public byte* NextIn;
    public nuint AvailIn;
    public ulong TotalIn;

    public byte* NextOut;
    public nuint AvailOut;
    public ulong TotalOut;

    public void* Allocator;
    public void* Internal;

    public void* ReservedPtr1;
    public void* ReservedPtr2;
    public void* ReservedPtr3;
    public void* ReservedPtr4;

    public ulong SeekPos;
    public ulong ReservedInt2;
    public nuint ReservedInt3;
    public nuint ReservedInt4;

    public int ReservedEnum1;
    public int ReservedEnum2;
}
