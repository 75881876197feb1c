using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>Attic's <c>KeypairConfig</c>: the JSON string <c>"Generate"</c> or <c>{"Keypair":"name:base64"}</c>.</summary>
[JsonConverter(typeof(KeypairConfigConverter))]
public sealed record KeypairConfig(string? Keypair)
{
    public static KeypairConfig Generate { get; } = new((string?)null);

    public bool IsGenerate => Keypair is null;
}

public sealed class KeypairConfigConverter : JsonConverter<KeypairConfig>
{
    public override KeypairConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() == "Generate"
                ? KeypairConfig.Generate
                : throw new JsonException("keypair must be \"Generate\" or {\"Keypair\": \"name:base64\"}");
        }
        var value = ExternallyTagged.ReadSingleProperty(ref reader, "Keypair", "keypair");
        return value.ValueKind == JsonValueKind.String
            ? new KeypairConfig(value.GetString())
            : throw new JsonException("keypair.Keypair must be a string \"name:base64\"");
    }

    public override void Write(Utf8JsonWriter writer, KeypairConfig value, JsonSerializerOptions options)
    {
        if (value.IsGenerate)
        {
            writer.WriteStringValue("Generate");
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("Keypair", value.Keypair);
        writer.WriteEndObject();
    }
}
