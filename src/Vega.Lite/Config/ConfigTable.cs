using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Config;

/// <summary>
/// A table of <c>server.toml</c>, keys in document order. Values are <see cref="string"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/>, <see cref="Tomlyn.TomlDateTime"/>, <see cref="ConfigTable"/>, or a list
/// of <see cref="ConfigValue"/> for an array literal or an array of tables.
/// </summary>
internal sealed class ConfigTable(int line)
{
    private readonly Dictionary<string, ConfigValue> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    /// <summary>1-based line of the header that defines the table, or of the first key that creates it.</summary>
    public int Line { get; set; } = line;

    public IReadOnlyList<string> Keys => _keys;

    public ConfigValue this[string key] => _entries[key];

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ConfigValue value) => _entries.TryGetValue(key, out value);

    public void Add(string key, ConfigValue value)
    {
        _entries.Add(key, value);
        _keys.Add(key);
    }
}

/// <summary>A value with the 1-based line where it starts, for messages.</summary>
internal sealed record ConfigValue(object Value, int Line);
