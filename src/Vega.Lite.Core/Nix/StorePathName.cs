using System.Buffers;

namespace Vega.Lite.Core.Nix;

/// <summary>Validation of the name part of a store path (<c>path.cc</c> <c>checkName</c>).</summary>
internal static class StorePathName
{
    /// <summary>Longest allowed name (Nix's <c>maxPathLen</c> minus hash and dash).</summary>
    public const int MaxLength = 211;

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-._?=");

    /// <summary>Returns null when valid, otherwise the reason.</summary>
    public static string? Validate(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return "the name is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"the name is longer than {MaxLength} characters";
        }

        int bad = name.IndexOfAnyExcept(NameChars);
        if (bad >= 0)
        {
            return $"the name contains the invalid character '{Printable.Truncate(name.Slice(bad, 1))}'";
        }

        if (name[0] == '.')
        {
            if (name.Length == 1 || (name.Length == 2 && name[1] == '.'))
            {
                return "the name must not be '.' or '..'";
            }

            if (name[1] == '-' || (name[1] == '.' && name[2] == '-'))
            {
                return "the name must not start with '.-' or '..-'";
            }
        }

        return null;
    }

    /// <summary>Validates <c>&lt;hash32&gt;-&lt;name&gt;</c>; returns null when valid, otherwise the reason.</summary>
    public static string? ValidateBaseName(ReadOnlySpan<char> baseName)
    {
        if (baseName.Length < StorePathHash.Length + 1 || baseName[StorePathHash.Length] != '-')
        {
            return "it is not of the form '<32-character hash>-<name>'";
        }

        if (!StorePathHash.IsValid(baseName[..StorePathHash.Length]))
        {
            return "the hash part is not 32 nix32 characters";
        }

        return Validate(baseName[(StorePathHash.Length + 1)..]);
    }
}
