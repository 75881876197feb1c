namespace Vega.Lite.Core.Nix.Nar;

/// <summary>
/// The path of the node being parsed, as UTF-8 bytes. The last name at each directory level doubles
/// as the previous sibling, which is all the sortedness check needs, so no other names are kept.
/// </summary>
internal sealed class NarPathTracker
{
    private byte[] _path = new byte[256];
    private int _length;
    private int[] _nameStart = new int[8];
    private bool[] _hasPrevious = new bool[8];

    public ReadOnlySpan<byte> Path => _path.AsSpan(0, _length);

    /// <summary>Starts the entries of the directory node at <paramref name="depth"/> (the root is 0).</summary>
    public void EnterDirectory(int depth)
    {
        if (depth >= _nameStart.Length)
        {
            int size = Math.Max(depth + 1, _nameStart.Length * 2);
            Array.Resize(ref _nameStart, size);
            Array.Resize(ref _hasPrevious, size);
        }

        if (depth > 0)
        {
            EnsureCapacity(_length + 1);
            _path[_length++] = (byte)'/';
        }

        _nameStart[depth] = _length;
        _hasPrevious[depth] = false;
    }

    /// <summary>Ends the directory node at <paramref name="depth"/>; the path returns to its own name.</summary>
    public void LeaveDirectory(int depth) => _length = depth > 0 ? _nameStart[depth] - 1 : 0;

    /// <summary>
    /// Makes <paramref name="name"/> the current entry of the directory at <paramref name="depth"/>.
    /// Returns null, or an error when it does not sort strictly after the previous entry.
    /// </summary>
    public string? AddEntry(int depth, ReadOnlySpan<byte> name)
    {
        int start = _nameStart[depth];
        if (_hasPrevious[depth])
        {
            ReadOnlySpan<byte> previous = _path.AsSpan(start, _length - start);
            int order = name.SequenceCompareTo(previous);
            if (order == 0)
            {
                return $"duplicate directory entry '{Printable.Truncate(name)}'";
            }

            if (order < 0)
            {
                return $"directory entries are not sorted: '{Printable.Truncate(name)}' follows '{Printable.Truncate(previous)}'";
            }
        }

        EnsureCapacity(start + name.Length);
        name.CopyTo(_path.AsSpan(start));
        _length = start + name.Length;
        _hasPrevious[depth] = true;
        return null;
    }

    private void EnsureCapacity(int capacity)
    {
        if (capacity > _path.Length)
        {
            Array.Resize(ref _path, Math.Max(capacity, _path.Length * 2));
        }
    }
}
