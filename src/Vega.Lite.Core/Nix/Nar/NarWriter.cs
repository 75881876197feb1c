using System.Text;

namespace Vega.Lite.Core.Nix.Nar;

/// <summary>
/// Serialises a file, directory or symlink as a NAR, byte-for-byte like <c>nix-store --dump</c>.
/// </summary>
/// <remarks>
/// Directory entries are sorted by the byte order of their UTF-8 names; a regular file is executable
/// when its owner-execute bit is set; symlinks are written, never followed (except that the root path
/// itself is archived as whatever it is: a symlink root is written as a symlink). Other file types
/// (sockets, devices, FIFOs) are not detected and must not be present.
/// </remarks>
public sealed class NarWriter
{
    private static readonly EnumerationOptions AllEntries = new()
    {
        AttributesToSkip = 0, // The default skips "hidden" (dot) files.
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    private NarWriter()
    {
    }

    /// <summary>Writes the NAR of <paramref name="fileSystemPath"/> to <paramref name="output"/>.</summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public static void Dump(string fileSystemPath, Stream output)
    {
        ArgumentNullException.ThrowIfNull(fileSystemPath);
        ArgumentNullException.ThrowIfNull(output);

        var file = new FileInfo(fileSystemPath);
        if (!file.Exists && file.LinkTarget is null && !Directory.Exists(fileSystemPath))
        {
            throw new FileNotFoundException($"Cannot archive '{fileSystemPath}': it does not exist.", fileSystemPath);
        }

        FileSystemInfo root = IsSymlink(file) || (file.Attributes & FileAttributes.Directory) == 0
            ? file
            : new DirectoryInfo(fileSystemPath);

        using var writer = new NarTokenWriter(output);
        writer.WriteString("nix-archive-1"u8);
        DumpNode(writer, root);
        writer.Flush();
    }

    /// <summary>Writes the NAR of a single regular file with the given contents (what <c>dumpString</c> does).</summary>
    public static void DumpContents(ReadOnlySpan<byte> contents, Stream output, bool executable = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new NarTokenWriter(output);
        writer.WriteString("nix-archive-1"u8);
        writer.WriteString("("u8);
        writer.WriteString("type"u8);
        writer.WriteString("regular"u8);
        if (executable)
        {
            writer.WriteString("executable"u8);
            writer.WriteString([]);
        }

        writer.WriteString("contents"u8);
        writer.WriteString(contents);
        writer.WriteString(")"u8);
        writer.Flush();
    }

    private static void DumpNode(NarTokenWriter writer, FileSystemInfo node)
    {
        writer.WriteString("("u8);
        writer.WriteString("type"u8);
        if (IsSymlink(node))
        {
            writer.WriteString("symlink"u8);
            writer.WriteString("target"u8);
            writer.WriteString(Encoding.UTF8.GetBytes(node.LinkTarget!));
        }
        else if (node is DirectoryInfo directory)
        {
            writer.WriteString("directory"u8);
            foreach ((byte[] name, FileSystemInfo child) in SortedEntries(directory))
            {
                writer.WriteString("entry"u8);
                writer.WriteString("("u8);
                writer.WriteString("name"u8);
                writer.WriteString(name);
                writer.WriteString("node"u8);
                DumpNode(writer, child);
                writer.WriteString(")"u8);
            }
        }
        else
        {
            writer.WriteString("regular"u8);
            if ((node.UnixFileMode & UnixFileMode.UserExecute) != 0)
            {
                writer.WriteString("executable"u8);
                writer.WriteString([]);
            }

            writer.WriteString("contents"u8);
            using var stream = new FileStream(node.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            writer.WriteContents(stream, stream.Length);
        }

        writer.WriteString(")"u8);
    }

    private static bool IsSymlink(FileSystemInfo node) =>
        (node.Attributes & FileAttributes.ReparsePoint) != 0 && node.LinkTarget is not null;

    private static (byte[] Name, FileSystemInfo Node)[] SortedEntries(DirectoryInfo directory)
    {
        var entries = new List<(byte[] Name, FileSystemInfo Node)>();
        foreach (FileSystemInfo child in directory.EnumerateFileSystemInfos("*", AllEntries))
        {
            entries.Add((Encoding.UTF8.GetBytes(child.Name), child));
        }

        (byte[] Name, FileSystemInfo Node)[] sorted = entries.ToArray();
        Array.Sort(sorted, static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return sorted;
    }
}
