namespace Vega.Lite.Core.Toml;

/// <summary>
/// A value of a parsed TOML document. The concrete type is one of
/// <see cref="TomlString"/>, <see cref="TomlInteger"/>, <see cref="TomlFloat"/>,
/// <see cref="TomlBoolean"/>, <see cref="TomlDateTime"/>, <see cref="TomlArray"/>
/// or <see cref="TomlTable"/>.
/// </summary>
public abstract class TomlValue
{
    private protected TomlValue(int line)
    {
        Line = line;
    }

    /// <summary>
    /// 1-based line where the value starts; for tables the line of the header
    /// that defines them, or of the first key that creates them.
    /// </summary>
    public int Line { get; private protected set; }

    /// <summary>TOML type name for messages: "string", "integer", "float", "boolean", "datetime", "array" or "table".</summary>
    public abstract string TypeName { get; }
}
