using System.Globalization;

namespace Vega.Lite.Core.Nix;

/// <summary>
/// Strict narinfo parser. Follows <c>nar-info.cc</c> (<c>Key: value\n</c>, value two characters after
/// the colon, unknown keys ignored) and rejects what Nix would misread or what a server must refuse.
/// </summary>
internal static class NarInfoParser
{
    [Flags]
    private enum Field
    {
        None = 0,
        StorePath = 1 << 0,
        Url = 1 << 1,
        Compression = 1 << 2,
        FileHash = 1 << 3,
        FileSize = 1 << 4,
        NarHash = 1 << 5,
        NarSize = 1 << 6,
        References = 1 << 7,
        Deriver = 1 << 8,
        System = 1 << 9,
        Ca = 1 << 10,
    }

    private ref struct State
    {
        public Field Seen;
        public string? StorePath;
        public string? Url;
        public string? Compression;
        public string? FileHash;
        public long? FileSize;
        public NixHash NarHash;
        public long NarSize;
        public List<string>? References;
        public string? Deriver;
        public string? System;
        public List<string>? Sigs;
        public string? Ca;
    }

    public static bool TryParse(string text, out NarInfo? info, out string? error)
    {
        info = null;
        if (text.Length == 0)
        {
            error = "The narinfo is empty.";
            return false;
        }

        if (text[0] == '\uFEFF')
        {
            error = "The narinfo must not start with a byte order mark.";
            return false;
        }

        if (text[^1] != '\n')
        {
            error = "The narinfo must end with a newline ('\\n').";
            return false;
        }

        var state = default(State);
        int pos = 0;
        int lineNumber = 0;
        while (pos < text.Length)
        {
            lineNumber++;
            int eol = text.IndexOf('\n', pos);
            ReadOnlySpan<char> line = text.AsSpan(pos, eol - pos);
            pos = eol + 1;

            error = ParseLine(line, ref state);
            if (error is not null)
            {
                error = $"Line {lineNumber}: {error}";
                return false;
            }
        }

        error = CheckRequired(state.Seen);
        if (error is not null)
        {
            return false;
        }

        info = new NarInfo
        {
            StorePath = state.StorePath!,
            Url = state.Url!,
            Compression = state.Compression ?? NarInfo.DefaultCompression,
            FileHash = state.FileHash,
            FileSize = state.FileSize,
            NarHash = state.NarHash,
            NarSize = state.NarSize,
            References = state.References is null ? [] : state.References.ToArray(),
            Deriver = state.Deriver,
            System = state.System,
            Sigs = state.Sigs is null ? [] : state.Sigs.ToArray(),
            Ca = state.Ca,
        };
        return true;
    }

    private static string? CheckRequired(Field seen)
    {
        foreach ((Field field, string name) in (ReadOnlySpan<(Field, string)>)
                 [(Field.StorePath, "StorePath"), (Field.Url, "URL"), (Field.NarHash, "NarHash"), (Field.NarSize, "NarSize")])
        {
            if ((seen & field) == 0)
            {
                return $"The narinfo lacks the required field '{name}'.";
            }
        }

        return null;
    }

    private static string? ParseLine(ReadOnlySpan<char> line, ref State state)
    {
        if (line.IsEmpty)
        {
            return "empty lines are not allowed.";
        }

        if (line[^1] == '\r')
        {
            return "CRLF line endings are not allowed; lines must end with '\\n' only.";
        }

        int control = line.IndexOfAnyInRange('\0', '\u001f');
        if (control < 0)
        {
            control = line.IndexOf('\u007f');
        }

        if (control >= 0)
        {
            return $"control character 0x{(int)line[control]:x2} is not allowed.";
        }

        int colon = line.IndexOf(':');
        if (colon < 0)
        {
            return $"expected 'Key: value', got '{Printable.Truncate(line)}'.";
        }

        if (colon == 0)
        {
            return "the key before ':' is empty.";
        }

        ReadOnlySpan<char> key = line[..colon];
        if (line.Length < colon + 2 || line[colon + 1] != ' ')
        {
            return $"expected ': ' (a colon and a space) after '{Printable.Truncate(key)}'.";
        }

        ReadOnlySpan<char> value = line[(colon + 2)..];
        return key switch
        {
            "StorePath" => Once(ref state, Field.StorePath, key) ?? ParseStorePath(value, ref state),
            "URL" => Once(ref state, Field.Url, key) ?? ParseUrl(value, ref state),
            "Compression" => Once(ref state, Field.Compression, key) ?? ParseCompression(value, ref state),
            "FileHash" => Once(ref state, Field.FileHash, key) ?? ParseFileHash(value, ref state),
            "FileSize" => Once(ref state, Field.FileSize, key) ?? ParseFileSize(value, ref state),
            "NarHash" => Once(ref state, Field.NarHash, key) ?? ParseNarHash(value, ref state),
            "NarSize" => Once(ref state, Field.NarSize, key) ?? ParseNarSize(value, ref state),
            "References" => Once(ref state, Field.References, key) ?? ParseReferences(value, ref state),
            "Deriver" => Once(ref state, Field.Deriver, key) ?? ParseDeriver(value, ref state),
            "System" => Once(ref state, Field.System, key) ?? ParseSystem(value, ref state),
            "Sig" => ParseSig(value, ref state),
            "CA" => Once(ref state, Field.Ca, key) ?? ParseCa(value, ref state),
            _ => null, // Unknown keys are ignored, as Nix does.
        };
    }

    private static string? Once(ref State state, Field field, ReadOnlySpan<char> key)
    {
        if ((state.Seen & field) != 0)
        {
            return $"the field '{key}' appears more than once.";
        }

        state.Seen |= field;
        return null;
    }

    private static string? ParseStorePath(ReadOnlySpan<char> value, ref State state)
    {
        string? error = StorePath.Validate(value, out _);
        if (error is not null)
        {
            return $"invalid StorePath: {error}";
        }

        state.StorePath = value.ToString();
        return null;
    }

    private static string? ParseUrl(ReadOnlySpan<char> value, ref State state)
    {
        if (value.IsEmpty)
        {
            return "the URL is empty.";
        }

        if (value.Contains(' '))
        {
            return "the URL must not contain spaces.";
        }

        state.Url = value.ToString();
        return null;
    }

    private static string? ParseCompression(ReadOnlySpan<char> value, ref State state)
    {
        if (value.IsEmpty)
        {
            state.Compression = NarInfo.DefaultCompression;
            return null;
        }

        string? known = NarInfoCompression.Find(value);
        if (known is null)
        {
            return $"unknown Compression '{Printable.Truncate(value)}'; expected one of: {NarInfoCompression.List}.";
        }

        state.Compression = known;
        return null;
    }

    private static string? ParseFileHash(ReadOnlySpan<char> value, ref State state)
    {
        if (!NixHash.TryParse(value, out NixHash hash, out string? error))
        {
            return $"invalid FileHash: {error}";
        }

        state.FileHash = hash.ToNix32String();
        return null;
    }

    private static string? ParseFileSize(ReadOnlySpan<char> value, ref State state)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
        {
            return $"invalid FileSize '{Printable.Truncate(value)}': must be a non-negative integer.";
        }

        state.FileSize = size;
        return null;
    }

    private static string? ParseNarHash(ReadOnlySpan<char> value, ref State state)
    {
        if (!NixHash.TryParse(value, out NixHash hash, out string? error))
        {
            return $"invalid NarHash: {error}";
        }

        state.NarHash = hash;
        return null;
    }

    private static string? ParseNarSize(ReadOnlySpan<char> value, ref State state)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size <= 0)
        {
            return $"invalid NarSize '{Printable.Truncate(value)}': must be a positive integer.";
        }

        state.NarSize = size;
        return null;
    }

    private static string? ParseReferences(ReadOnlySpan<char> value, ref State state)
    {
        var references = new List<string>();
        foreach (Range range in value.Split(' '))
        {
            ReadOnlySpan<char> reference = value[range];
            if (reference.IsEmpty)
            {
                continue; // Nix tokenizes on runs of spaces.
            }

            string? error = StorePathName.ValidateBaseName(reference);
            if (error is not null)
            {
                return $"invalid reference '{Printable.Truncate(reference)}': {error}.";
            }

            references.Add(reference.ToString());
        }

        if (references.Count > 1)
        {
            var distinct = new HashSet<string>(references.Count, StringComparer.Ordinal);
            foreach (string reference in references)
            {
                if (!distinct.Add(reference))
                {
                    return $"the reference '{reference}' is listed more than once.";
                }
            }
        }

        state.References = references;
        return null;
    }

    private static string? ParseDeriver(ReadOnlySpan<char> value, ref State state)
    {
        if (value.SequenceEqual(NarInfo.UnknownDeriver))
        {
            return null;
        }

        string? error = StorePathName.ValidateBaseName(value);
        if (error is not null)
        {
            return $"invalid Deriver '{Printable.Truncate(value)}': {error}.";
        }

        state.Deriver = value.ToString();
        return null;
    }

    private static string? ParseSystem(ReadOnlySpan<char> value, ref State state)
    {
        state.System = value.IsEmpty ? null : value.ToString();
        return null;
    }

    private static string? ParseSig(ReadOnlySpan<char> value, ref State state)
    {
        string? error = SignatureFormat.Validate(value);
        if (error is not null)
        {
            return $"invalid Sig '{Printable.Truncate(value)}': {error}.";
        }

        (state.Sigs ??= []).Add(value.ToString());
        return null;
    }

    private static string? ParseCa(ReadOnlySpan<char> value, ref State state)
    {
        if (value.IsEmpty)
        {
            return null; // Nix reads an empty CA as "no content address".
        }

        if (!value.StartsWith("text:", StringComparison.Ordinal) && !value.StartsWith("fixed:", StringComparison.Ordinal))
        {
            return $"invalid CA '{Printable.Truncate(value)}': must start with 'text:' or 'fixed:'.";
        }

        if (value.Contains(' '))
        {
            return $"invalid CA '{Printable.Truncate(value)}': must not contain spaces.";
        }

        state.Ca = value.ToString();
        return null;
    }
}
