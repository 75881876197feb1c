using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>Owns a <c>ZSTD_DCtx*</c>.</summary>
internal sealed class ZstdDCtxHandle : SafeHandle
{
    public ZstdDCtxHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Zstd.ZSTD_freeDCtx(handle);
        return true;
    }
}
