using System.Globalization;
using System.Text;

namespace Vega.Lite.Core.Nix;

/// <summary>
/// Writes a narinfo in Nix's field order (<c>NarInfo::to_string</c>): StorePath, URL, Compression,
/// [FileHash], [FileSize], NarHash, NarSize, References, [Deriver], [System], Sig*, [CA].
/// </summary>
internal static class NarInfoRenderer
{
    private const int NarHashLength = 7 + NixHash.Nix32Length;

    /// <summary>Exact UTF-8 length of the rendering; validates the fields first.</summary>
    public static int GetByteCount(NarInfo info)
    {
        Validate(info);
        int length = Line("StorePath", info.StorePath) + Line("URL", info.Url) + Line("Compression", info.Compression);
        if (info.FileHash is not null)
        {
            length += Line("FileHash", info.FileHash);
        }

        if (info.FileSize is long fileSize)
        {
            length += "FileSize: ".Length + NarInfoFingerprint.CountDigits(fileSize) + 1;
        }

        length += "NarHash: ".Length + NarHashLength + 1;
        length += "NarSize: ".Length + NarInfoFingerprint.CountDigits(info.NarSize) + 1;

        length += "References: ".Length + 1;
        IReadOnlyList<string> references = info.References;
        for (int i = 0; i < references.Count; i++)
        {
            length += (i > 0 ? 1 : 0) + Encoding.UTF8.GetByteCount(references[i]);
        }

        if (info.Deriver is not null)
        {
            length += Line("Deriver", info.Deriver);
        }

        if (info.System is not null)
        {
            length += Line("System", info.System);
        }

        foreach (string sig in info.Sigs)
        {
            length += Line("Sig", sig);
        }

        if (info.Ca is not null)
        {
            length += Line("CA", info.Ca);
        }

        return length;
    }

    /// <summary>Writes the rendering into <paramref name="destination"/>, exactly <see cref="GetByteCount"/> bytes.</summary>
    public static void Write(NarInfo info, Span<byte> destination)
    {
        var w = new Cursor(destination);
        w.Line("StorePath: "u8, info.StorePath);
        w.Line("URL: "u8, info.Url);
        w.Line("Compression: "u8, info.Compression);
        if (info.FileHash is not null)
        {
            w.Line("FileHash: "u8, info.FileHash);
        }

        if (info.FileSize is long fileSize)
        {
            w.Number("FileSize: "u8, fileSize);
        }

        w.Bytes("NarHash: "u8);
        info.NarHash.WriteNix32Utf8(w.Take(NarHashLength));
        w.Bytes("\n"u8);
        w.Number("NarSize: "u8, info.NarSize);

        // Always written, with the space even when empty: "References:" alone swallows the next line in Nix 2.8.
        w.Bytes("References: "u8);
        IReadOnlyList<string> references = info.References;
        for (int i = 0; i < references.Count; i++)
        {
            if (i > 0)
            {
                w.Bytes(" "u8);
            }

            w.Text(references[i]);
        }

        w.Bytes("\n"u8);
        if (info.Deriver is not null)
        {
            w.Line("Deriver: "u8, info.Deriver);
        }

        if (info.System is not null)
        {
            w.Line("System: "u8, info.System);
        }

        foreach (string sig in info.Sigs)
        {
            w.Line("Sig: "u8, sig);
        }

        if (info.Ca is not null)
        {
            w.Line("CA: "u8, info.Ca);
        }

        if (w.Position != destination.Length)
        {
            throw new InvalidOperationException("The narinfo changed while it was being rendered.");
        }
    }

    private static int Line(string key, string value) => key.Length + 2 + Encoding.UTF8.GetByteCount(value) + 1;

    private static void Validate(NarInfo info)
    {
        if (info.NarHash.IsEmpty)
        {
            throw new InvalidOperationException("Cannot render a narinfo without a NarHash.");
        }

        if (info.NarSize <= 0)
        {
            throw new InvalidOperationException($"Cannot render a narinfo with NarSize {info.NarSize}: it must be positive.");
        }

        if (info.FileSize < 0)
        {
            throw new InvalidOperationException($"Cannot render a narinfo with FileSize {info.FileSize}.");
        }

        if (string.IsNullOrEmpty(info.Url))
        {
            throw new InvalidOperationException("Cannot render a narinfo without a URL.");
        }

        CheckValue("StorePath", info.StorePath);
        CheckValue("URL", info.Url);
        CheckValue("Compression", info.Compression);
        CheckValue("FileHash", info.FileHash);
        CheckValue("Deriver", info.Deriver);
        CheckValue("System", info.System);
        CheckValue("CA", info.Ca);
        foreach (string sig in info.Sigs)
        {
            CheckValue("Sig", sig);
        }

        foreach (string reference in info.References)
        {
            CheckValue("References", reference);
            if (reference.Length == 0 || reference.Contains(' '))
            {
                throw new InvalidOperationException($"Cannot render the reference '{Printable.Truncate(reference)}'.");
            }
        }
    }

    private static void CheckValue(string field, string? value)
    {
        if (field is "StorePath" or "URL" or "Compression")
        {
            if (value is null)
            {
                throw new InvalidOperationException($"Cannot render a narinfo whose {field} is null.");
            }
        }

        if (value is not null && value.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new InvalidOperationException($"Cannot render {field} '{Printable.Truncate(value)}': it contains a line break.");
        }
    }

    private ref struct Cursor(Span<byte> span)
    {
        private readonly Span<byte> _span = span;

        public int Position { get; private set; }

        public Span<byte> Take(int count)
        {
            Span<byte> slice = _span.Slice(Position, count);
            Position += count;
            return slice;
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[Position..]);
            Position += bytes.Length;
        }

        public void Text(string text) => Position += Encoding.UTF8.GetBytes(text, _span[Position..]);

        public void Line(ReadOnlySpan<byte> key, string value)
        {
            Bytes(key);
            Text(value);
            Bytes("\n"u8);
        }

        public void Number(ReadOnlySpan<byte> key, long value)
        {
            Bytes(key);
            value.TryFormat(_span[Position..], out int written, default, CultureInfo.InvariantCulture);
            Position += written;
            Bytes("\n"u8);
        }
    }
}
