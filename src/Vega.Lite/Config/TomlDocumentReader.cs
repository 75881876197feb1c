using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Vega.Lite.Config;

/// <summary>
/// Parses TOML with Tomlyn's syntax parser, whose validation rejects duplicate keys and redefined tables, and folds
/// the syntax tree into <see cref="ConfigTable"/>s that keep each key's line. Tomlyn's object mapper is not used:
/// it needs reflection, and its table model lets a repeated key or section silently win.
/// </summary>
internal static class TomlDocumentReader
{
    public static ConfigTable Read(string text, string source)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, source, validate: true);
        }
        catch (TomlException e)
        {
            // Tomlyn throws instead of reporting a diagnostic when nesting exceeds its depth limit.
            throw new ConfigException($"Invalid configuration: {source}: {e.Message}");
        }
        // Tomlyn lists the parser's errors before the lexer's; the earliest in the text is the cause of the others.
        if (document.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error).MinBy(d => d.Span.Start.Offset) is { } error)
        {
            throw new ConfigException(
                $"Invalid configuration: {source}:{LineOf(error.Span)}:{error.Span.Start.Column + 1}: {error.Message}");
        }

        var root = new ConfigTable(1);
        foreach (var keyValue in document.KeyValues)
        {
            Set(root, keyValue);
        }
        foreach (var table in document.Tables)
        {
            var target = Open(root, table);
            foreach (var keyValue in table.Items)
            {
                Set(target, keyValue);
            }
        }
        return root;
    }

    /// <summary>The table a <c>[name]</c> or <c>[[name]]</c> header defines; for <c>[[name]]</c> a new element.</summary>
    private static ConfigTable Open(ConfigTable root, TableSyntaxBase header)
    {
        var names = Names(Node(header.Name));
        var line = LineOf(header.Span);
        var parent = Descend(root, names.Take(names.Count - 1), line);
        var name = names[^1];
        if (header is TableArraySyntax)
        {
            if (!parent.TryGetValue(name, out var array))
            {
                array = new ConfigValue(new List<ConfigValue>(), line);
                parent.Add(name, array);
            }
            var element = new ConfigTable(line);
            ((List<ConfigValue>)array.Value).Add(new ConfigValue(element, line));
            return element;
        }
        if (parent.TryGetValue(name, out var existing))
        {
            // Created before as the super-table of an earlier header ([a.b] before [a]): defined here.
            var table = (ConfigTable)existing.Value;
            table.Line = line;
            return table;
        }
        var created = new ConfigTable(line);
        parent.Add(name, new ConfigValue(created, line));
        return created;
    }

    private static void Set(ConfigTable table, KeyValueSyntax keyValue)
    {
        var names = Names(Node(keyValue.Key));
        var line = LineOf(keyValue.Span);
        Descend(table, names.Take(names.Count - 1), line).Add(names[^1], Convert(Node(keyValue.Value)));
    }

    /// <summary>Walks down dotted names, creating tables; through an array of tables it enters the last element.</summary>
    private static ConfigTable Descend(ConfigTable table, IEnumerable<string> names, int line)
    {
        foreach (var name in names)
        {
            if (!table.TryGetValue(name, out var value))
            {
                value = new ConfigValue(new ConfigTable(line), line);
                table.Add(name, value);
            }
            table = value.Value switch
            {
                ConfigTable t => t,
                List<ConfigValue> { Count: > 0 } elements => (ConfigTable)elements[^1].Value,
                _ => throw new InvalidOperationException($"validated TOML descends through the non-table \"{name}\""),
            };
        }
        return table;
    }

    private static ConfigValue Convert(ValueSyntax value)
    {
        var line = LineOf(value.Span);
        object converted = value switch
        {
            StringValueSyntax s => Node(s.Value),
            IntegerValueSyntax i => i.Value,
            FloatValueSyntax f => f.Value,
            BooleanValueSyntax b => b.Value,
            DateTimeValueSyntax d => d.Value,
            ArraySyntax a => a.Items.Select(item => Convert(Node(item.Value))).ToList(),
            InlineTableSyntax t => Inline(t, line),
            _ => throw new InvalidOperationException($"unexpected TOML value {value.Kind}"),
        };
        return new ConfigValue(converted, line);
    }

    private static ConfigTable Inline(InlineTableSyntax syntax, int line)
    {
        var table = new ConfigTable(line);
        foreach (var item in syntax.Items)
        {
            Set(table, Node(item.KeyValue));
        }
        return table;
    }

    private static List<string> Names(KeySyntax key) => [Name(Node(key.Key)), .. key.DotKeys.Select(d => Name(Node(d.Key)))];

    private static string Name(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => Node(Node(bare.Key).Text),
        StringValueSyntax quoted => Node(quoted.Value),
        _ => throw new InvalidOperationException($"unexpected TOML key {key.Kind}"),
    };

    private static int LineOf(SourceSpan span) => span.Start.Line + 1;

    /// <summary>A node the syntax tree has whenever it passed validation.</summary>
    private static T Node<T>(T? node) where T : class =>
        node ?? throw new InvalidOperationException("validated TOML syntax tree lacks a node");
}
