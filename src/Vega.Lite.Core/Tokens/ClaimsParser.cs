using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Deserializes the JWT payload like jwt-simple 0.11's <c>JWTClaims&lt;TokenClaims&gt;</c>: a JSON object whose
/// known claims are type-checked (<c>iat exp nbf</c> numbers, <c>iss sub jti nonce</c> strings or null, <c>aud</c>
/// a string or an array of strings) and may not repeat; the Attic namespace claim is required; everything else is
/// ignored. Type errors make the whole token invalid even for claims Attic never looks at (e.g. <c>jti</c>).
/// </summary>
internal static class ClaimsParser
{
    public static bool TryParse(
        byte[] payloadJson,
        [NotNullWhen(true)] out TokenClaims? claims,
        [NotNullWhen(false)] out string? failure)
    {
        claims = null;
        using JsonDocument document = JsonDocument.Parse(payloadJson, JsonValues.DocumentOptions);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            failure = "claims are not a JSON object";
            return false;
        }

        var fields = new ClaimFields();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!ClaimFields.IsKnown(property.Name))
            {
                continue;
            }

            if (!seen.Add(property.Name))
            {
                failure = $"duplicate claim '{property.Name}'";
                return false;
            }

            if (!fields.TryRead(property, out failure))
            {
                return false;
            }
        }

        if (fields.Caches is null)
        {
            failure = $"missing claim '{AtticClaimNames.Namespace}'";
            return false;
        }

        claims = new TokenClaims(fields.Caches)
        {
            Subject = fields.Subject,
            JwtId = fields.JwtId,
            ExpiresAt = fields.ExpiresAt,
            NotBefore = fields.NotBefore,
            IssuedAt = fields.IssuedAt,
            Issuer = fields.Issuer,
            Audience = fields.Audience,
        };
        failure = null;
        return true;
    }

    /// <summary>Accumulates the recognised claims of one payload.</summary>
    private sealed class ClaimFields
    {
        private static readonly string[] Known =
        [
            AtticClaimNames.IssuedAt, AtticClaimNames.ExpiresAt, AtticClaimNames.NotBefore,
            AtticClaimNames.Issuer, AtticClaimNames.Subject, AtticClaimNames.Audience,
            AtticClaimNames.JwtId, AtticClaimNames.Nonce, AtticClaimNames.Namespace,
        ];

        public long? IssuedAt { get; private set; }

        public long? ExpiresAt { get; private set; }

        public long? NotBefore { get; private set; }

        public string? Issuer { get; private set; }

        public string? Subject { get; private set; }

        public string? JwtId { get; private set; }

        public IReadOnlyList<string>? Audience { get; private set; }

        public KeyValuePair<CacheNamePattern, CachePermission>[]? Caches { get; private set; }

        public static bool IsKnown(string name) => Array.IndexOf(Known, name) >= 0;

        public bool TryRead(JsonProperty property, [NotNullWhen(false)] out string? failure)
        {
            JsonElement value = property.Value;
            failure = null;
            switch (property.Name)
            {
                case AtticClaimNames.IssuedAt:
                    IssuedAt = ReadTime(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.ExpiresAt:
                    ExpiresAt = ReadTime(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.NotBefore:
                    NotBefore = ReadTime(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.Issuer:
                    Issuer = ReadString(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.Subject:
                    Subject = ReadString(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.JwtId:
                    JwtId = ReadString(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.Nonce:
                    ReadString(value, property.Name, ref failure);
                    break;
                case AtticClaimNames.Audience:
                    Audience = ReadAudience(value, ref failure);
                    break;
                default:
                    Caches = AtticAccessParser.TryParse(value, out KeyValuePair<CacheNamePattern, CachePermission>[] caches, out failure)
                        ? caches
                        : null;
                    break;
            }

            return failure is null;
        }

        private static long? ReadTime(JsonElement value, string name, ref string? failure)
        {
            if (TimestampClaim.TryRead(value, out long seconds))
            {
                return seconds;
            }

            failure = $"claim '{name}' is not a Unix timestamp";
            return null;
        }

        private static string? ReadString(JsonElement value, string name, ref string? failure)
        {
            if (JsonValues.TryGetOptionalString(value, out string? text))
            {
                return text;
            }

            failure = $"claim '{name}' is not a string";
            return null;
        }

        /// <summary>jwt-simple <c>Audiences</c>: a string or an array of strings; null is an error.</summary>
        private static string[]? ReadAudience(JsonElement value, ref string? failure)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return [value.GetString()!];
            }

            if (JsonValues.TryGetStringArray(value, out List<string> audiences))
            {
                return [.. audiences];
            }

            failure = "claim 'aud' is not a string or an array of strings";
            return null;
        }
    }
}
