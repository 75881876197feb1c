using System.Text;

namespace Vega.Lite.E2E.Hostile;

/// <summary>A node of a NAR to write, in the order given (so unsorted or duplicate entries can be written too).</summary>
internal abstract record NarNode;

internal sealed record NarFile(byte[] Contents, bool Executable = false) : NarNode;

internal sealed record NarLink(byte[] Target) : NarNode;

internal sealed record NarDir(params (byte[] Name, NarNode Node)[] Entries) : NarNode;

/// <summary>
/// NAR bytes built token by token (docs/nix-cache-protocol.md §2): u64 little-endian lengths, strings padded with zeros to
/// 8 bytes. The writer can also break every rule the format has: bad padding, lying lengths, missing tokens.
/// </summary>
internal sealed class NarBytes
{
    public const string Magic = "nix-archive-1";

    private readonly MemoryStream _stream = new();

    public static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    public NarBytes Str(string text) => Str(B(text));

    /// <summary>A string: its length, its bytes, then padding bytes of value <paramref name="pad"/>.</summary>
    public NarBytes Str(ReadOnlySpan<byte> bytes, byte pad = 0)
    {
        U64((ulong)bytes.Length);
        _stream.Write(bytes);
        for (var i = bytes.Length; i % 8 != 0; i++)
        {
            _stream.WriteByte(pad);
        }
        return this;
    }

    public NarBytes U64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _stream.Write(bytes);
        return this;
    }

    public NarBytes Raw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public NarBytes Strs(params string[] tokens)
    {
        foreach (var token in tokens)
        {
            Str(token);
        }
        return this;
    }

    public NarBytes Node(NarNode node)
    {
        switch (node)
        {
            case NarFile file:
                Strs("(", "type", "regular");
                if (file.Executable)
                {
                    Strs("executable", "");
                }
                Str("contents").Str(file.Contents).Str(")");
                break;
            case NarLink link:
                Strs("(", "type", "symlink", "target").Str(link.Target).Str(")");
                break;
            case NarDir dir:
                Strs("(", "type", "directory");
                foreach (var (name, child) in dir.Entries)
                {
                    Strs("entry", "(", "name").Str(name).Str("node").Node(child).Str(")");
                }
                Str(")");
                break;
        }
        return this;
    }

    public byte[] ToArray() => _stream.ToArray();

    public static NarBytes Start() => new NarBytes().Str(Magic);

    public static byte[] Of(NarNode node) => Start().Node(node).ToArray();

    public static byte[] File(string contents) => Of(new NarFile(B(contents)));

    /// <summary>Directories nested <paramref name="depth"/> deep (a chain of <c>d</c>), a file at the bottom; written without recursion.</summary>
    public static byte[] Deep(int depth)
    {
        var nar = Start();
        for (var i = 0; i < depth; i++)
        {
            nar.Strs("(", "type", "directory", "entry", "(", "name", "d", "node");
        }
        nar.Node(new NarFile(B("bottom")));
        for (var i = 0; i < depth; i++)
        {
            nar.Strs(")", ")");
        }
        return nar.ToArray();
    }
}
