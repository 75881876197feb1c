using System.Text.Json;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>Reads serde's externally tagged enum variant <c>{"Tag": value}</c>: exactly one property, named <c>Tag</c>.</summary>
internal static class ExternallyTagged
{
    public static JsonElement ReadSingleProperty(ref Utf8JsonReader reader, string tag, string field)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"{field} must be a string or an object {{\"{tag}\": …}}");
        }
        using var document = JsonDocument.ParseValue(ref reader);
        using var properties = document.RootElement.EnumerateObject();
        JsonElement? value = null;
        foreach (var property in properties)
        {
            if (property.Name != tag || value is not null)
            {
                throw new JsonException($"{field} must be an object with the single key \"{tag}\"");
            }
            value = property.Value.Clone();
        }
        return value ?? throw new JsonException($"{field} must be an object with the single key \"{tag}\"");
    }
}
