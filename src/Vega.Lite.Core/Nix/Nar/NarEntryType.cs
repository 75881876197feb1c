namespace Vega.Lite.Core.Nix.Nar;

/// <summary>Kind of a file system object in a NAR.</summary>
public enum NarEntryType
{
    /// <summary>A regular file (possibly executable).</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    Symlink,
}
