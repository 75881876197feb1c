using System.Runtime.InteropServices;
using Vega.Lite.Core.Native;

namespace Vega.Lite.Core.Tests.Native;

public sealed class NativeLibrariesTests
{
    [Theory]
    [InlineData(NativeLibraries.SodiumLibrary, "libsodium.so.23")]
    [InlineData(NativeLibraries.ZstdLibrary, "libzstd.so.1")]
    [InlineData(NativeLibraries.LzmaLibrary, "liblzma.so.5")]
    public void ResolvesLogicalNamesToRuntimeSonames(string logicalName, string soname)
    {
        Assert.Equal(soname, NativeLibraries.GetSystemLibraryName(logicalName));
        IntPtr handle = NativeLibraries.Resolve(logicalName, typeof(NativeLibraries).Assembly, null);
        Assert.NotEqual(IntPtr.Zero, handle);
        Assert.Equal(handle, NativeLibrary.Load(soname));
    }

    [Fact]
    public void UnknownNamesFallBackToDefaultProbing()
    {
        Assert.Null(NativeLibraries.GetSystemLibraryName("libc"));
        Assert.Equal(IntPtr.Zero, NativeLibraries.Resolve("libc", typeof(NativeLibraries).Assembly, null));
    }

    [Fact]
    public void EnsureResolverIsIdempotent()
    {
        NativeLibraries.EnsureResolver();
        NativeLibraries.EnsureResolver();
        Parallel.For(0, 8, _ => NativeLibraries.EnsureResolver());
    }

    [Fact]
    public void ReportsVersions()
    {
        string versions = NativeLibraries.DescribeVersions();
        Assert.Matches(@"^libsodium \d+\.\d+\.\d+, libzstd \d+\.\d+\.\d+, liblzma \d+\.\d+\.\d+", versions);
    }

    [Fact]
    public unsafe void LzmaStreamMatchesTheCLayout()
    {
        // Checked against /usr/include/lzma/base.h with gcc: sizeof 136, next_out at 24,
        // allocator at 48, seek_pos at 96, reserved_enum1 at 128 (x86-64 and other LP64 targets).
        Assert.Equal(136, sizeof(LzmaStream));
        LzmaStream s = default;
        byte* start = (byte*)&s;
        Assert.Equal(24, (byte*)&s.NextOut - start);
        Assert.Equal(48, (byte*)&s.Allocator - start);
        Assert.Equal(96, (byte*)&s.SeekPos - start);
        Assert.Equal(128, (byte*)&s.ReservedEnum1 - start);
    }
}
