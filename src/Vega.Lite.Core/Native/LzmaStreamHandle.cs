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

    protected override bool ReleaseHandle()
    {
        Lzma.lzma_end((LzmaStream*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
