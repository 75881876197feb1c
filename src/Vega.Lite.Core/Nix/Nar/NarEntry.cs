namespace Vega.Lite.Core.Nix.Nar;

/// <summary>One file system object of a NAR, as reported while it is parsed (contents are not included).</summary>
public sealed class NarEntry
{
    internal NarEntry(string path, NarEntryType type, long size, bool isExecutable, string? symlinkTarget, long contentsOffset)
    {
        Path = path;
        Type = type;
        Size = size;
        IsExecutable = isExecutable;
        SymlinkTarget = symlinkTarget;
        ContentsOffset = contentsOffset;
    }

    /// <summary>Path relative to the root, <c>/</c>-separated; empty for the root itself.</summary>
    public string Path { get; }

    /// <summary>Regular file, directory or symlink.</summary>
    public NarEntryType Type { get; }

    /// <summary>Size of a regular file's contents in bytes; 0 for other types.</summary>
    public long Size { get; }

    /// <summary>Whether a regular file carries the executable marker.</summary>
    public bool IsExecutable { get; }

    /// <summary>Target of a symlink; null for other types.</summary>
    public string? SymlinkTarget { get; }

    /// <summary>
    /// Byte offset of a regular file's contents within the uncompressed NAR (Nix's <c>narOffset</c>
    /// in <c>.ls</c> listings); -1 for other types.
    /// </summary>
    public long ContentsOffset { get; }

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        NarEntryType.Regular => $"regular '{Path}' ({Size} bytes{(IsExecutable ? ", executable" : string.Empty)} at {ContentsOffset})",
        NarEntryType.Symlink => $"symlink '{Path}' -> '{SymlinkTarget}'",
        _ => $"directory '{Path}'",
    };
}
