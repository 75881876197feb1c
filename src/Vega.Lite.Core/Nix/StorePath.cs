namespace Vega.Lite.Core.Nix;

/// <summary>A parsed store path <c>&lt;storeDir&gt;/&lt;hash32&gt;-&lt;name&gt;</c>, e.g. <c>/nix/store/…-hello-2.12</c>.</summary>
public sealed class StorePath : IEquatable<StorePath>
{
    private StorePath(string fullPath, int slash)
    {
        FullPath = fullPath;
        StoreDir = fullPath[..slash];
        BaseName = fullPath[(slash + 1)..];
        Hash = BaseName[..StorePathHash.Length];
        Name = BaseName[(StorePathHash.Length + 1)..];
    }

    /// <summary>The store directory: everything before the last <c>/</c>, e.g. <c>/nix/store</c>.</summary>
    public string StoreDir { get; }

    /// <summary>The 32-character nix32 hash part.</summary>
    public string Hash { get; }

    /// <summary>The name after the hash and dash.</summary>
    public string Name { get; }

    /// <summary><c>&lt;hash&gt;-&lt;name&gt;</c>.</summary>
    public string BaseName { get; }

    /// <summary>The whole path as parsed.</summary>
    public string FullPath { get; }

    /// <summary>Parses and validates a full store path.</summary>
    public static bool TryParse(string? text, out StorePath? path, out string? error)
    {
        path = null;
        if (text is null)
        {
            error = "The store path is missing.";
            return false;
        }

        error = Validate(text, out int slash);
        if (error is not null)
        {
            return false;
        }

        path = new StorePath(text, slash);
        return true;
    }

    /// <summary>Parses and validates a full store path.</summary>
    /// <exception cref="FormatException">The path is invalid.</exception>
    public static StorePath Parse(string text)
    {
        if (!TryParse(text, out StorePath? path, out string? error))
        {
            throw new FormatException(error);
        }

        return path!;
    }

    /// <summary>True when <paramref name="path"/> is a valid full store path (no allocation).</summary>
    public static bool IsValid(ReadOnlySpan<char> path) => Validate(path, out _) is null;

    /// <summary>True when <paramref name="baseName"/> is a valid <c>&lt;hash32&gt;-&lt;name&gt;</c>.</summary>
    public static bool IsValidBaseName(string? baseName) => baseName is not null && IsValidBaseName(baseName.AsSpan());

    /// <summary>True when <paramref name="baseName"/> is a valid <c>&lt;hash32&gt;-&lt;name&gt;</c>.</summary>
    public static bool IsValidBaseName(ReadOnlySpan<char> baseName) => StorePathName.ValidateBaseName(baseName) is null;

    /// <summary>True when <paramref name="name"/> is a valid name part (1–211 of <c>[0-9a-zA-Z+-._?=]</c>, not <c>.</c>/<c>..</c>, not starting with <c>.-</c>/<c>..-</c>).</summary>
    public static bool IsValidName(ReadOnlySpan<char> name) => StorePathName.Validate(name) is null;

    /// <summary>The store directory part (before the last <c>/</c>) of a path, without validating it.</summary>
    internal static ReadOnlySpan<char> GetStoreDir(ReadOnlySpan<char> fullPath)
    {
        int slash = fullPath.LastIndexOf('/');
        return slash < 0 ? ReadOnlySpan<char>.Empty : fullPath[..slash];
    }

    /// <summary>Returns null when valid, otherwise an error message.</summary>
    internal static string? Validate(ReadOnlySpan<char> text, out int slash)
    {
        slash = text.LastIndexOf('/');
        if (slash < 0)
        {
            return $"Store path '{Printable.Truncate(text)}' is not an absolute path.";
        }

        string? dirError = ValidateStoreDir(text[..slash]);
        if (dirError is not null)
        {
            return $"Store path '{Printable.Truncate(text)}' has an invalid store directory: {dirError}.";
        }

        string? nameError = StorePathName.ValidateBaseName(text[(slash + 1)..]);
        if (nameError is not null)
        {
            return $"Store path '{Printable.Truncate(text)}' is invalid: {nameError}.";
        }

        return null;
    }

    private static string? ValidateStoreDir(ReadOnlySpan<char> dir)
    {
        if (dir.IsEmpty || dir[0] != '/')
        {
            return "it must be an absolute directory other than '/'";
        }

        foreach (Range range in dir[1..].Split('/'))
        {
            ReadOnlySpan<char> component = dir[1..][range];
            if (component.IsEmpty || component is "." or "..")
            {
                return "it is not a canonical path";
            }

            if (component.ContainsAnyInRange('\0', '\u001f'))
            {
                return "it contains a control character";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(StorePath? other) => other is not null && string.Equals(FullPath, other.FullPath, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StorePath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(FullPath);

    /// <summary>The full path.</summary>
    public override string ToString() => FullPath;
}
