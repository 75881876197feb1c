using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Toml;

/// <summary>
/// A TOML table. Enumeration, <see cref="Keys"/> and <see cref="Values"/> follow
/// the order in which the keys appear in the document.
/// </summary>
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly List<KeyValuePair<string, TomlValue>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    internal TomlTable(TableOrigin origin, int line) : base(line)
    {
        Origin = origin;
    }

    /// <summary>True for a table written as an inline table (<c>{ a = 1 }</c>), or created inside one.</summary>
    public bool IsInline => Origin is TableOrigin.Inline or TableOrigin.DottedInInline;

    /// <summary>Number of keys directly in this table.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys in document order.</summary>
    public IEnumerable<string> Keys => _entries.Select(static e => e.Key);

    /// <summary>The values in document order.</summary>
    public IEnumerable<TomlValue> Values => _entries.Select(static e => e.Value);

    /// <summary>The value of <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public TomlValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"TOML key \"{key}\" is not present");

    /// <summary>How the table came into being; drives the redefinition rules.</summary>
    internal TableOrigin Origin { get; private set; }

    /// <inheritdoc />
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _entries[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string TypeName => "table";

    internal void Add(string key, TomlValue value)
    {
        _index.Add(key, _entries.Count);
        _entries.Add(new KeyValuePair<string, TomlValue>(key, value));
    }

    /// <summary>An implicitly created super-table becomes defined by its own header.</summary>
    internal void MarkDefinedByHeader(int line)
    {
        Origin = TableOrigin.Header;
        Line = line;
    }
}

/// <summary>How a table was created; see <see cref="TableBuilder"/> for the rules.</summary>
internal enum TableOrigin
{
    /// <summary>The document itself.</summary>
    Root,

    /// <summary>Created as a super-table of a header (<c>a</c> in <c>[a.b]</c>); may still be defined by <c>[a]</c>.</summary>
    Implicit,

    /// <summary>Defined by a <c>[name]</c> header.</summary>
    Header,

    /// <summary>An element of an array of tables, defined by a <c>[[name]]</c> header.</summary>
    ArrayElement,

    /// <summary>Created by a dotted key (<c>a</c> in <c>a.b = 1</c>).</summary>
    Dotted,

    /// <summary>An inline table literal; closed for extension.</summary>
    Inline,

    /// <summary>Created by a dotted key inside an inline table (<c>b</c> in <c>{ b.c = 1 }</c>); closed once the inline table ends.</summary>
    DottedInInline,
}
