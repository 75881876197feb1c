using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Vega.Lite.Core.Caches;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Parses the value of the <c>https://jwt.attic.rs/v1</c> claim (Attic <c>AtticAccess</c>): an object with a
/// required <c>caches</c> object whose keys are cache-name patterns and whose values are permission objects.
/// Unknown keys are ignored at both levels; duplicate <c>caches</c> or duplicate bit keys are errors; a repeated
/// pattern key replaces the earlier value at the earlier position (<c>IndexMap</c>).
/// </summary>
internal static class AtticAccessParser
{
    public static bool TryParse(
        JsonElement access,
        out KeyValuePair<CacheNamePattern, CachePermission>[] caches,
        [NotNullWhen(false)] out string? failure)
    {
        caches = [];
        if (access.ValueKind != JsonValueKind.Object)
        {
            failure = $"'{AtticClaimNames.Namespace}' is not an object";
            return false;
        }

        JsonElement? cachesElement = null;
        foreach (JsonProperty property in access.EnumerateObject())
        {
            if (property.Name != AtticClaimNames.Caches)
            {
                continue;
            }

            if (cachesElement is not null)
            {
                failure = "duplicate 'caches'";
                return false;
            }

            cachesElement = property.Value;
        }

        if (cachesElement is not { ValueKind: JsonValueKind.Object } cachesObject)
        {
            failure = cachesElement is null ? "missing 'caches'" : "'caches' is not an object";
            return false;
        }

        var builder = new CachePermissionMapBuilder();
        foreach (JsonProperty entry in cachesObject.EnumerateObject())
        {
            if (!CacheNamePattern.TryParse(entry.Name, out CacheNamePattern? pattern))
            {
                failure = $"invalid cache name pattern '{entry.Name}'";
                return false;
            }

            if (!TryParsePermission(entry.Value, out CachePermission permission, out failure))
            {
                failure = $"cache '{entry.Name}': {failure}";
                return false;
            }

            builder.Set(pattern, permission);
        }

        caches = builder.ToArray();
        failure = null;
        return true;
    }

    private static bool TryParsePermission(
        JsonElement value, out CachePermission permission, [NotNullWhen(false)] out string? failure)
    {
        permission = CachePermission.None;
        if (value.ValueKind != JsonValueKind.Object)
        {
            failure = "permission is not an object";
            return false;
        }

        Span<bool> seen = stackalloc bool[PermissionJsonKeys.ByBit.Length];
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (!PermissionJsonKeys.TryGetBit(property.Name, out CachePermissionBit bit))
            {
                continue;
            }

            if (seen[(int)bit])
            {
                failure = $"duplicate permission '{property.Name}'";
                return false;
            }

            seen[(int)bit] = true;
            if (!JsonValues.TryGetBit(property.Value, out bool granted))
            {
                failure = $"permission '{property.Name}' must be the integer 0 or 1";
                return false;
            }

            if (granted)
            {
                permission = permission.With(bit);
            }
        }

        failure = null;
        return true;
    }
}
