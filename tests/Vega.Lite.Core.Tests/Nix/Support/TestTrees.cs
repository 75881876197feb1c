using System.Text;

namespace Vega.Lite.Core.Tests.Nix.Support;

/// <summary>Deterministic file trees for NAR tests.</summary>
internal static class TestTrees
{
    /// <summary>The <c>probe-out</c> tree of docs/nix-cache-protocol.md (§2): its NAR is 752 bytes.</summary>
    public static string CreateProbeOut(string parent)
    {
        string root = Path.Combine(parent, "probe-out");
        Directory.CreateDirectory(root);
        string file = Path.Combine(root, "file");
        File.WriteAllText(file, "data\n");
        SetMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "file");
        File.WriteAllText(Path.Combine(root, "ref"), "/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n");
        return root;
    }

    /// <summary>
    /// A tree with nested and empty directories, an empty file, hidden and unicode names whose UTF-16
    /// and UTF-8 orders differ, symlinks (absolute, dangling, to a directory), odd permission bits and,
    /// optionally, a file of 1 MiB + 3 bytes.
    /// </summary>
    public static string CreateMixed(string parent, bool includeBigFile)
    {
        string root = Path.Combine(parent, "mixed");
        Directory.CreateDirectory(root);
        Write(root, "empty-file", []);
        Directory.CreateDirectory(Path.Combine(root, "empty-dir"));
        Write(root, "nested/a/b/c/deep.txt", "deep\n"u8.ToArray());
        Write(root, "nested/a/sibling", "sibling"u8.ToArray());
        Write(root, "bin/tool", "#!/bin/sh\necho hi\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write(root, "bin/group-exec-only", "x"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Write(root, "bin/owner-exec-only", "y"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Write(root, ".hidden", "hidden"u8.ToArray());
        Write(root, "B-upper", "8 bytes!"u8.ToArray());
        Write(root, "a-lower", "7 bytes"u8.ToArray());
        Write(root, "ünïcödé-名前.txt", Encoding.UTF8.GetBytes("unicode ✓\n"));
        Write(root, "\uFF21-fullwidth", "fullwidth"u8.ToArray());
        Write(root, "😀-emoji", "emoji"u8.ToArray());
        Write(root, new string('n', 200), "long name"u8.ToArray());
        File.CreateSymbolicLink(Path.Combine(root, "abs-link"), "/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt");
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "does/not/exist");
        Directory.CreateSymbolicLink(Path.Combine(root, "dir-link"), "nested");
        if (includeBigFile)
        {
            byte[] big = new byte[(1024 * 1024) + 3];
            new Random(42).NextBytes(big);
            Write(root, "big.bin", big);
        }

        return root;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void Write(string root, string relative, byte[] contents, UnixFileMode? mode = null)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, contents);
        SetMode(path, mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
    }
}
