using System.Text.Json;

namespace Vega.Lite.Core.Tokens;

/// <summary>Typed reads of JSON values with serde's strictness.</summary>
internal static class JsonValues
{
    /// <summary>Parser settings: strict RFC 8259, nesting limit of serde_json (128).</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 128,
    };

    /// <summary><c>Option&lt;String&gt;</c>: a string, or null meaning absent.</summary>
    public static bool TryGetOptionalString(JsonElement value, out string? result)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                result = null;
                return true;
            case JsonValueKind.String:
                result = value.GetString();
                return true;
            default:
                result = null;
                return false;
        }
    }

    /// <summary><c>Option&lt;Vec&lt;String&gt;&gt;</c>: an array of strings, or null.</summary>
    public static bool IsOptionalStringArray(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null || TryGetStringArray(value, out _);

    /// <summary>An array whose elements are all strings.</summary>
    public static bool TryGetStringArray(JsonElement value, out List<string> result)
    {
        result = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            result.Add(item.GetString()!);
        }

        return true;
    }

    /// <summary>
    /// serde_with <c>BoolFromInt</c> (strict): only the integers 0 and 1. serde_json reads <c>-0</c>, <c>1.0</c>
    /// and <c>1e0</c> as floats, which are rejected, so the literal must be exactly <c>0</c> or <c>1</c>.
    /// </summary>
    public static bool TryGetBit(JsonElement value, out bool bit)
    {
        bit = false;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        string raw = value.GetRawText();
        bit = raw == "1";
        return bit || raw == "0";
    }
}
