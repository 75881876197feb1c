using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Insertion-ordered pattern → permission map with <c>IndexMap</c> semantics: setting an existing
/// pattern replaces its value but keeps its original position.
/// </summary>
internal sealed class CachePermissionMapBuilder
{
    private readonly List<KeyValuePair<CacheNamePattern, CachePermission>> _entries = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public void Set(CacheNamePattern pattern, CachePermission permission)
    {
        if (_positions.TryGetValue(pattern.Pattern, out int position))
        {
            _entries[position] = new(_entries[position].Key, permission);
            return;
        }

        _positions.Add(pattern.Pattern, _entries.Count);
        _entries.Add(new(pattern, permission));
    }

    /// <summary>Get-or-insert the entry for <paramref name="pattern"/>, then set one bit (make-token's grant).</summary>
    public void Grant(CacheNamePattern pattern, CachePermissionBit bit)
    {
        CachePermission current = _positions.TryGetValue(pattern.Pattern, out int position)
            ? _entries[position].Value
            : CachePermission.None;
        Set(pattern, current.With(bit));
    }

    public KeyValuePair<CacheNamePattern, CachePermission>[] ToArray() => [.. _entries];
}
