using System.Globalization;

namespace Vega.Lite.Core.Toml;

/// <summary>A TOML string (basic, literal, or either multi-line form).</summary>
public sealed class TomlString : TomlValue
{
    internal TomlString(string value, int line) : base(line) => Value = value;

    /// <summary>The string with all escapes resolved.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string TypeName => "string";

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A TOML integer (64-bit signed).</summary>
public sealed class TomlInteger : TomlValue
{
    internal TomlInteger(long value, int line) : base(line) => Value = value;

    /// <summary>The integer value.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override string TypeName => "integer";

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A TOML float (IEEE 754 binary64), including <c>inf</c> and <c>nan</c>.</summary>
public sealed class TomlFloat : TomlValue
{
    internal TomlFloat(double value, int line) : base(line) => Value = value;

    /// <summary>The float value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override string TypeName => "float";

    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A TOML boolean.</summary>
public sealed class TomlBoolean : TomlValue
{
    internal TomlBoolean(bool value, int line) : base(line) => Value = value;

    /// <summary>The boolean value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override string TypeName => "boolean";

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
