namespace Vega.Lite.Core.Toml;

/// <summary>
/// Thrown when a TOML document is malformed. The message has the form
/// <c>"{sourceName}:{line}:{column}: {reason}"</c>; line and column are 1-based.
/// </summary>
public sealed class TomlException : Exception
{
    /// <summary>Creates an exception pointing at a position of a document.</summary>
    public TomlException(string sourceName, int line, int column, string reason)
        : base($"{sourceName}:{line}:{column}: {reason}")
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>Name of the document, as passed to <see cref="TomlParser.Parse"/>.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 code units) of the error.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position prefix.</summary>
    public string Reason { get; }
}
