using System.Runtime.InteropServices;

namespace Vega.Lite.Core.Native;

/// <summary>Owns a <c>ZSTD_CCtx*</c>.</summary>
internal sealed class ZstdCCtxHandle : SafeHandle
{
    public ZstdCCtxHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Zstd.ZSTD_freeCCtx(handle);
        return true;
    }
}
