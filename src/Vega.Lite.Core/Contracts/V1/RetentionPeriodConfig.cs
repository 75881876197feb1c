using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vega.Lite.Core.Contracts.V1;

/// <summary>Attic's <c>RetentionPeriodConfig</c>: <c>"Global"</c> (server default) or <c>{"Period": seconds}</c>.</summary>
[JsonConverter(typeof(RetentionPeriodConfigConverter))]
public sealed record RetentionPeriodConfig(long? Period)
{
    public static RetentionPeriodConfig Global { get; } = new((long?)null);

    public bool IsGlobal => Period is null;
}

public sealed class RetentionPeriodConfigConverter : JsonConverter<RetentionPeriodConfig>
{
    public override RetentionPeriodConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() == "Global"
                ? RetentionPeriodConfig.Global
                : throw new JsonException("retention_period must be \"Global\" or {\"Period\": seconds}");
        }
        var value = ExternallyTagged.ReadSingleProperty(ref reader, "Period", "retention_period");
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is >= 0 and <= uint.MaxValue
            ? new RetentionPeriodConfig(seconds)
            : throw new JsonException("retention_period.Period must be a whole number of seconds (0 to 4294967295)");
    }

    public override void Write(Utf8JsonWriter writer, RetentionPeriodConfig value, JsonSerializerOptions options)
    {
        if (value.IsGlobal)
        {
            writer.WriteStringValue("Global");
            return;
        }
        writer.WriteStartObject();
        writer.WriteNumber("Period", value.Period!.Value);
        writer.WriteEndObject();
    }
}
