using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Checks the JOSE header like jwt-simple 0.11 (<c>JWTHeader</c> deserialization, then <c>Token::verify</c>):
/// a JSON object; <c>alg</c> a required string; known optional fields type-checked (<c>cty kid typ jku jwk x5u
/// x5t x5t#S256</c> strings, <c>crit x5c</c> string arrays, null allowed); duplicate known fields rejected;
/// unknown fields ignored; <c>typ</c>, if present, <c>JWT</c> or <c>*+JWT</c> case-insensitively; <c>alg</c> equal
/// to the key's algorithm exactly.
/// </summary>
internal static class JwtHeaderValidator
{
    private static readonly string[] StringFields = ["alg", "cty", "kid", "typ", "jku", "jwk", "x5u", "x5t", "x5t#S256"];
    private static readonly string[] StringArrayFields = ["crit", "x5c"];

    public static bool TryValidate(byte[] headerJson, string expectedAlgorithm, [NotNullWhen(false)] out string? failure)
    {
        using JsonDocument document = JsonDocument.Parse(headerJson, JsonValues.DocumentOptions);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            failure = "header is not a JSON object";
            return false;
        }

        string? algorithm = null;
        string? type = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            bool isString = Array.IndexOf(StringFields, property.Name) >= 0;
            bool isStringArray = Array.IndexOf(StringArrayFields, property.Name) >= 0;
            if (!isString && !isStringArray)
            {
                continue;
            }

            if (!seen.Add(property.Name))
            {
                failure = $"duplicate header field '{property.Name}'";
                return false;
            }

            if (isStringArray ? !JsonValues.IsOptionalStringArray(property.Value)
                : !JsonValues.TryGetOptionalString(property.Value, out string? text)
                  || (property.Name == "alg" && text is null))
            {
                failure = $"header field '{property.Name}' has the wrong type";
                return false;
            }

            if (property.Name == "alg")
            {
                algorithm = property.Value.GetString();
            }
            else if (property.Name == "typ")
            {
                type = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
        }

        failure = algorithm is null ? "header has no 'alg'"
            : type is not null && !IsJwtType(type) ? $"header 'typ' is '{type}', not JWT"
            : algorithm != expectedAlgorithm ? $"header 'alg' is '{algorithm}', expected '{expectedAlgorithm}'"
            : null;
        return failure is null;
    }

    /// <summary>Upper-cased <c>typ</c> equals <c>JWT</c> or ends with <c>+JWT</c>.</summary>
    private static bool IsJwtType(string type) =>
        type.EndsWith("JWT", StringComparison.OrdinalIgnoreCase)
        && (type.Length == 3 || type[^4] == '+');
}
