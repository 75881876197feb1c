namespace Vega.Lite.Core.Toml;

/// <summary>
/// A TOML array: either an array literal (<c>[1, "two"]</c>, items may be of
/// mixed types) or an array of tables built from <c>[[name]]</c> headers.
/// </summary>
public sealed class TomlArray : TomlValue
{
    private readonly List<TomlValue> _items;

    internal TomlArray(List<TomlValue> items, bool isArrayOfTables, int line) : base(line)
    {
        _items = items;
        IsArrayOfTables = isArrayOfTables;
    }

    /// <summary>The items in document order.</summary>
    public IReadOnlyList<TomlValue> Items => _items;

    /// <summary>Number of items.</summary>
    public int Count => _items.Count;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public TomlValue this[int index] => _items[index];

    /// <summary>True when built from <c>[[name]]</c> headers rather than an array literal.</summary>
    public bool IsArrayOfTables { get; }

    /// <inheritdoc />
    public override string TypeName => "array";

    internal void Add(TomlValue item) => _items.Add(item);
}
