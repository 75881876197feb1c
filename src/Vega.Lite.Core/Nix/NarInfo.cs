using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Vega.Lite.Core.Nix;

/// <summary>
/// The contents of a <c>&lt;hash&gt;.narinfo</c> file of a Nix binary cache.
/// </summary>
/// <remarks>
/// <see cref="TryParse(string, out NarInfo?, out string?)"/> follows Nix's parser but is strict
/// about input a server must not accept; <see cref="Render"/> writes exactly what Nix writes.
/// Instances are immutable; values are not re-validated on construction, but rendering refuses
/// values that would corrupt the line format.
/// </remarks>
public sealed class NarInfo
{
    /// <summary>Compression assumed when the <c>Compression</c> field is missing or empty.</summary>
    public const string DefaultCompression = "bzip2";

    /// <summary>Value of <c>Deriver</c> that means "no deriver".</summary>
    public const string UnknownDeriver = "unknown-deriver";

    /// <summary>Full store path, e.g. <c>/nix/store/&lt;hash&gt;-name</c>.</summary>
    public required string StorePath { get; init; }

    /// <summary>URL of the (possibly compressed) NAR, normally relative: <c>nar/….nar.xz</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Compression of the file at <see cref="Url"/> (<c>xz</c>, <c>zstd</c>, <c>none</c>, …).</summary>
    public string Compression { get; init; } = DefaultCompression;

    /// <summary>Hash of the file at <see cref="Url"/> as <c>sha256:&lt;nix32&gt;</c>, or null when unknown.</summary>
    public string? FileHash { get; init; }

    /// <summary>Size in bytes of the file at <see cref="Url"/>, or null when unknown.</summary>
    public long? FileSize { get; init; }

    /// <summary>SHA-256 of the uncompressed NAR.</summary>
    public required NixHash NarHash { get; init; }

    /// <summary>Size of the uncompressed NAR in bytes (positive).</summary>
    public required long NarSize { get; init; }

    /// <summary>Base names (<c>&lt;hash&gt;-&lt;name&gt;</c>) of the referenced store paths, possibly including itself.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Base name of the deriver (<c>….drv</c>), or null (<c>unknown-deriver</c>).</summary>
    public string? Deriver { get; init; }

    /// <summary>System the path was built for (written by Nix 2.8, ignored by newer Nix), or null.</summary>
    public string? System { get; init; }

    /// <summary>Signatures, <c>&lt;keyname&gt;:&lt;base64&gt;</c>, in the order they are rendered.</summary>
    public IReadOnlyList<string> Sigs { get; init; } = [];

    /// <summary>Content address (<c>text:sha256:…</c>, <c>fixed:r:sha256:…</c>), or null.</summary>
    public string? Ca { get; init; }

    /// <summary>
    /// Parses narinfo text. On failure <paramref name="error"/> holds a message fit for an HTTP 400 body.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out NarInfo? info, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NarInfoParser.TryParse(text, out info, out error);
    }

    /// <summary>Parses UTF-8 narinfo bytes (as received in a request body).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out NarInfo? info, [NotNullWhen(false)] out string? error)
    {
        if (!global::System.Text.Unicode.Utf8.IsValid(utf8))
        {
            info = null;
            error = "The narinfo is not valid UTF-8.";
            return false;
        }

        return NarInfoParser.TryParse(Encoding.UTF8.GetString(utf8), out info, out error);
    }

    /// <summary>Parses narinfo text.</summary>
    /// <exception cref="FormatException">The text is not a valid narinfo.</exception>
    public static NarInfo Parse(string text)
    {
        if (!TryParse(text, out NarInfo? info, out string? error))
        {
            throw new FormatException(error);
        }

        return info!;
    }

    /// <summary>Renders the narinfo exactly as Nix writes it.</summary>
    /// <exception cref="InvalidOperationException">A field holds a value that cannot be rendered.</exception>
    public string Render()
    {
        int length = NarInfoRenderer.GetByteCount(this);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            NarInfoRenderer.Write(this, rented.AsSpan(0, length));
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Renders the narinfo as UTF-8 bytes (e.g. to cache a response body).</summary>
    public byte[] RenderUtf8()
    {
        byte[] result = new byte[NarInfoRenderer.GetByteCount(this)];
        NarInfoRenderer.Write(this, result);
        return result;
    }

    /// <summary>Renders the narinfo as UTF-8 into <paramref name="writer"/>.</summary>
    public void RenderTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = NarInfoRenderer.GetByteCount(this);
        NarInfoRenderer.Write(this, writer.GetSpan(length)[..length]);
        writer.Advance(length);
    }

    /// <summary>
    /// The string that <c>Sig</c> signatures sign:
    /// <c>1;&lt;StorePath&gt;;sha256:&lt;nix32&gt;;&lt;NarSize&gt;;&lt;sorted full reference paths, comma-separated&gt;</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="NarSize"/> is not positive or <see cref="NarHash"/> is empty.</exception>
    public string Fingerprint() => NarInfoFingerprint.Compute(StorePath, NarHash, NarSize, References);

    /// <summary>
    /// Computes the signature fingerprint from its parts; <paramref name="references"/> are base names,
    /// expanded with the store directory of <paramref name="storePath"/>.
    /// </summary>
    public static string ComputeFingerprint(string storePath, NixHash narHash, long narSize, IReadOnlyList<string> references) =>
        NarInfoFingerprint.Compute(storePath, narHash, narSize, references);
}
