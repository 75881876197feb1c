using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vega.Lite.Metadata;

/// <summary>String lists kept as JSON array text in one column (references, sigs, upstream key names), like Attic.</summary>
internal static class JsonColumns
{
    public static string Write(IReadOnlyList<string> values) =>
        JsonSerializer.Serialize(values as List<string> ?? [.. values], JsonColumnsContext.Default.ListString);

    public static List<string> Read(string json) =>
        JsonSerializer.Deserialize(json, JsonColumnsContext.Default.ListString) ?? [];
}

[JsonSerializable(typeof(List<string>))]
internal sealed partial class JsonColumnsContext : JsonSerializerContext;
