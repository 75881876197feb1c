namespace Vega.Lite.Core.Nix;

/// <summary>The signed fingerprint of a path (<c>ValidPathInfo::fingerprint</c>).</summary>
internal static class NarInfoFingerprint
{
    private const int HashLength = 7 + NixHash.Nix32Length; // "sha256:" + nix32

    public static string Compute(string storePath, NixHash narHash, long narSize, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(storePath);
        ArgumentNullException.ThrowIfNull(references);
        if (narSize <= 0)
        {
            throw new InvalidOperationException(
                $"Cannot calculate the fingerprint of '{storePath}' because its NarSize is not known (must be positive).");
        }

        if (narHash.IsEmpty)
        {
            throw new InvalidOperationException($"Cannot calculate the fingerprint of '{storePath}' without a NarHash.");
        }

        // Full paths share the store directory prefix, so ordering base names ordinally orders the
        // full paths bytewise (base names are ASCII). Duplicates collapse as in Nix's std::set.
        string[] sorted = SortedDistinct(references);
        int storeDirLength = StorePath.GetStoreDir(storePath).Length;

        int length = 2 + storePath.Length + 1 + HashLength + 1 + CountDigits(narSize) + 1;
        foreach (string reference in sorted)
        {
            length += storeDirLength + 1 + reference.Length;
        }

        length += Math.Max(0, sorted.Length - 1);

        var state = (storePath, storeDirLength, narHash, narSize, sorted);
        return string.Create(length, state, static (span, s) =>
        {
            int pos = 0;
            Append(span, ref pos, "1;");
            Append(span, ref pos, s.storePath);
            span[pos++] = ';';
            Append(span, ref pos, NixHash.Prefix);
            Nix32.TryEncode(s.narHash.Bytes, span[pos..], out int written);
            pos += written;
            span[pos++] = ';';
            s.narSize.TryFormat(span[pos..], out written, default, global::System.Globalization.CultureInfo.InvariantCulture);
            pos += written;
            span[pos++] = ';';
            ReadOnlySpan<char> storeDir = s.storePath.AsSpan(0, s.storeDirLength);
            for (int i = 0; i < s.sorted.Length; i++)
            {
                if (i > 0)
                {
                    span[pos++] = ',';
                }

                Append(span, ref pos, storeDir);
                span[pos++] = '/';
                Append(span, ref pos, s.sorted[i]);
            }
        });
    }

    private static string[] SortedDistinct(IReadOnlyList<string> references)
    {
        if (references.Count == 0)
        {
            return [];
        }

        string[] sorted = new string[references.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = references[i] ?? throw new ArgumentException("A reference is null.", nameof(references));
        }

        if (sorted.Length == 1)
        {
            return sorted;
        }

        Array.Sort(sorted, StringComparer.Ordinal);
        int count = 1;
        for (int i = 1; i < sorted.Length; i++)
        {
            if (!string.Equals(sorted[i], sorted[count - 1], StringComparison.Ordinal))
            {
                sorted[count++] = sorted[i];
            }
        }

        return count == sorted.Length ? sorted : sorted[..count];
    }

    private static void Append(Span<char> span, ref int pos, ReadOnlySpan<char> text)
    {
        text.CopyTo(span[pos..]);
        pos += text.Length;
    }

    internal static int CountDigits(long value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
