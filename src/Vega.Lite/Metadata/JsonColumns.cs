using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vega.Lite.Metadata;

/// <summary>
/// String lists kept as JSON array text in one column (references, sigs, upstream key names), like Attic. Written
/// compact and with only what JSON requires escaped, as serde writes them: the default encoder would turn the
/// <c>+</c> of a base64 signature into <c>\u002B</c>, the same value but not the same text as atticd's rows.
/// </summary>
internal static class JsonColumns
{
    private static readonly JsonColumnsContext Context = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string Write(IReadOnlyList<string> values) =>
        JsonSerializer.Serialize(values as List<string> ?? [.. values], Context.ListString);

    public static List<string> Read(string json) =>
        JsonSerializer.Deserialize(json, Context.ListString) ?? [];
}

[JsonSerializable(typeof(List<string>))]
internal sealed partial class JsonColumnsContext : JsonSerializerContext;
