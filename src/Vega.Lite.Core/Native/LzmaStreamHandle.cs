using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>
/// Owns a zero-initialised (<c>LZMA_STREAM_INIT</c>) <see cref="LzmaStream"/> in native memory.
/// Release calls <c>lzma_end</c> (harmless on a stream that was never initialised) and frees the memory.
/// </summary>
internal sealed unsafe class LzmaStreamHandle : SafeHandle
{
    public LzmaStreamHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStream)));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The native struct. Only valid while the handle is alive (callers AddRef around use).</summary>
    public LzmaStream* Stream => (LzmaStream*)handle;

    /// <summary>
    /// One <c>lzma_code</c> call over <paramref name="input"/> and <paramref name="output"/>: points the stream at the
    /// pinned buffers, runs, reports how much was consumed and produced, and clears the pointers again (liblzma must
    /// never see a buffer outside the call that pinned it). The handle is kept alive for the call.
    /// </summary>
    public Lzma.Ret Code(ReadOnlySpan<byte> input, Span<byte> output, Lzma.Action action, out int consumed, out int produced)
    {
        bool addedRef = false;
        try
        {
            DangerousAddRef(ref addedRef);
            LzmaStream* strm = Stream;
            fixed (byte* src = input)
            fixed (byte* dst = output)
            {
                strm->NextIn = src;
                strm->AvailIn = (nuint)input.Length;
                strm->NextOut = dst;
                strm->AvailOut = (nuint)output.Length;
                Lzma.Ret ret = Lzma.lzma_code(strm, action);
                consumed = input.Length - (int)strm->AvailIn;
                produced = output.Length - (int)strm->AvailOut;
                strm->NextIn = null;
                strm->AvailIn = 0;
                strm->NextOut = null;
                strm->AvailOut = 0;
                return ret;
            }
        }
        finally
        {
            if (addedRef)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        Lzma.lzma_end((LzmaStream*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
