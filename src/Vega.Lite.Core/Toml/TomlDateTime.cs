namespace Vega.Lite.Core.Toml;

/// <summary>Which of the four TOML date/time forms a <see cref="TomlDateTime"/> is.</summary>
public enum TomlDateTimeKind
{
    /// <summary>Date, time and offset, e.g. <c>1979-05-27T07:32:00Z</c>.</summary>
    OffsetDateTime,

    /// <summary>Date and time without offset, e.g. <c>1979-05-27T07:32:00</c>.</summary>
    LocalDateTime,

    /// <summary>Date only, e.g. <c>1979-05-27</c>.</summary>
    LocalDate,

    /// <summary>Time only, e.g. <c>07:32:00.999</c>.</summary>
    LocalTime,
}

/// <summary>
/// A TOML date/time literal. It is validated (RFC 3339 shape and field ranges)
/// but not converted: <see cref="Raw"/> is the text exactly as written.
/// </summary>
public sealed class TomlDateTime : TomlValue
{
    internal TomlDateTime(string raw, TomlDateTimeKind kind, int line) : base(line)
    {
        Raw = raw;
        Kind = kind;
    }

    /// <summary>The literal as written in the document.</summary>
    public string Raw { get; }

    /// <summary>The form of the literal.</summary>
    public TomlDateTimeKind Kind { get; }

    /// <inheritdoc />
    public override string TypeName => "datetime";

    /// <inheritdoc />
    public override string ToString() => Raw;
}
