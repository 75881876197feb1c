using System.Text;

namespace Vega.Lite.Core.Nix.Nar;

/// <summary>The NAR grammar (<c>archive.cc</c> <c>parse</c>) on top of the string tokens of the lexer.</summary>
public sealed partial class NarValidator
{
    private enum Expect : byte
    {
        Magic,
        NodeOpen,
        TypeTag,
        TypeValue,
        RegularTag,
        ExecutableValue,
        ContentsTag,
        Contents,
        NodeClose,
        TargetTag,
        Target,
        DirectoryTag,
        EntryOpen,
        NameTag,
        Name,
        NodeTag,
        EntryClose,
        End,
    }

    private readonly NarPathTracker _paths = new();
    private Expect _expect;
    private int _depth;
    private bool _executable;

    private static ReadOnlySpan<byte> Magic => "nix-archive-1"u8;

    private void OnToken(ReadOnlySpan<byte> token)
    {
        switch (_expect)
        {
            case Expect.Magic:
                if (!token.SequenceEqual(Magic))
                {
                    Fail(_tokenStart, "input doesn't look like a Nix archive (bad magic)");
                }

                _expect = Expect.NodeOpen;
                break;
            case Expect.NodeOpen:
                ExpectTag(token, "("u8, Expect.TypeTag);
                break;
            case Expect.TypeTag:
                ExpectTag(token, "type"u8, Expect.TypeValue);
                break;
            case Expect.TypeValue:
                OnNodeType(token);
                break;
            case Expect.RegularTag:
                if (token.SequenceEqual("executable"u8))
                {
                    _expect = Expect.ExecutableValue;
                }
                else if (token.SequenceEqual("contents"u8))
                {
                    _expect = Expect.Contents;
                }
                else
                {
                    Fail(_tokenStart, $"expected tag 'executable' or 'contents', got '{Printable.Truncate(token)}'");
                }

                break;
            case Expect.ExecutableValue:
                _executable = true; // The lexer only admits the empty string here.
                _expect = Expect.ContentsTag;
                break;
            case Expect.ContentsTag:
                ExpectTag(token, "contents"u8, Expect.Contents);
                break;
            case Expect.NodeClose:
                ExpectTag(token, ")"u8, Expect.NodeClose);
                NodeDone();
                break;
            case Expect.TargetTag:
                ExpectTag(token, "target"u8, Expect.Target);
                break;
            case Expect.Target:
                OnSymlinkTarget(token);
                break;
            case Expect.DirectoryTag:
                OnDirectoryTag(token);
                break;
            case Expect.EntryOpen:
                ExpectTag(token, "("u8, Expect.NameTag);
                break;
            case Expect.NameTag:
                ExpectTag(token, "name"u8, Expect.Name);
                break;
            case Expect.Name:
                OnEntryName(token);
                break;
            case Expect.NodeTag:
                ExpectTag(token, "node"u8, Expect.NodeOpen);
                _depth++;

                break;
            case Expect.EntryClose:
                ExpectTag(token, ")"u8, Expect.DirectoryTag);
                break;
            default:
                Fail(_tokenStart, "unexpected data after the end of the NAR");
                break;
        }
    }

    private void ExpectTag(ReadOnlySpan<byte> token, ReadOnlySpan<byte> tag, Expect next)
    {
        if (!token.SequenceEqual(tag))
        {
            Fail(_tokenStart, $"expected tag '{Encoding.ASCII.GetString(tag)}', got '{Printable.Truncate(token)}'");
        }

        _expect = next;
    }

    private void OnNodeType(ReadOnlySpan<byte> type)
    {
        if (type.SequenceEqual("regular"u8))
        {
            _executable = false;
            _expect = Expect.RegularTag;
        }
        else if (type.SequenceEqual("directory"u8))
        {
            Emit(NarEntryType.Directory, 0, false, null, -1);
            _paths.EnterDirectory(_depth);
            _expect = Expect.DirectoryTag;
        }
        else if (type.SequenceEqual("symlink"u8))
        {
            _expect = Expect.TargetTag;
        }
        else
        {
            Fail(_tokenStart, $"unknown file type '{Printable.Truncate(type)}'");
        }
    }

    private void OnSymlinkTarget(ReadOnlySpan<byte> target)
    {
        if (target.IsEmpty)
        {
            Fail(_tokenStart, $"symlink '{Printable.Truncate(_paths.Path)}' has an empty target");
        }

        if (target.Contains((byte)0))
        {
            Fail(_tokenStart, $"symlink '{Printable.Truncate(_paths.Path)}' has a target containing NUL");
        }

        if (_onEntry is not null)
        {
            Emit(NarEntryType.Symlink, 0, false, Encoding.UTF8.GetString(target), -1);
        }

        _expect = Expect.NodeClose;
    }

    private void OnDirectoryTag(ReadOnlySpan<byte> token)
    {
        if (token.SequenceEqual("entry"u8))
        {
            _expect = Expect.EntryOpen;
        }
        else if (token.SequenceEqual(")"u8))
        {
            _paths.LeaveDirectory(_depth);
            NodeDone();
        }
        else
        {
            Fail(_tokenStart, $"expected tag 'entry' or ')', got '{Printable.Truncate(token)}'");
        }
    }

    private void OnEntryName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8) || name.IndexOfAny((byte)'/', (byte)0) >= 0)
        {
            Fail(_tokenStart, $"invalid file name '{Printable.Truncate(name)}'");
        }

        string? error = _paths.AddEntry(_depth, name);
        if (error is not null)
        {
            Fail(_tokenStart, error);
        }

        if (_paths.Path.Length > MaxPathLength)
        {
            Fail(_tokenStart, $"the path of entry '{Printable.Truncate(name)}' is longer than {MaxPathLength} bytes");
        }

        _expect = Expect.NodeTag;
    }

    private void NodeDone()
    {
        if (_depth == 0)
        {
            _expect = Expect.End;
        }
        else
        {
            _depth--;
            _expect = Expect.EntryClose;
        }
    }

    private void Emit(NarEntryType type, long size, bool executable, string? target, long contentsOffset)
    {
        _onEntry?.Invoke(new NarEntry(Encoding.UTF8.GetString(_paths.Path), type, size, executable, target, contentsOffset));
    }

    private static int MaxStringLength(Expect expect) => expect switch
    {
        Expect.Magic => 13,
        Expect.ExecutableValue => 0,
        Expect.Name => MaxNameLength,
        Expect.Target => MaxTargetLength,
        _ => MaxTagLength,
    };

    private static string TooLong(Expect expect, ulong length) => expect switch
    {
        Expect.Magic => "input doesn't look like a Nix archive (bad magic)",
        Expect.ExecutableValue => "the executable marker has a non-empty value",
        Expect.Name => $"entry name of {length} bytes exceeds the maximum of {MaxNameLength}",
        Expect.Target => $"symlink target of {length} bytes exceeds the maximum of {MaxTargetLength}",
        _ => $"expected {Describe(expect)}, got a string of {length} bytes",
    };

    private static string Describe(Expect expect) => expect switch
    {
        Expect.Magic => "the magic 'nix-archive-1'",
        Expect.NodeOpen or Expect.EntryOpen => "tag '('",
        Expect.TypeTag => "tag 'type'",
        Expect.TypeValue => "a node type",
        Expect.RegularTag => "tag 'executable' or 'contents'",
        Expect.ExecutableValue => "the executable marker's empty value",
        Expect.ContentsTag => "tag 'contents'",
        Expect.Contents => "file contents",
        Expect.NodeClose or Expect.EntryClose => "tag ')'",
        Expect.TargetTag => "tag 'target'",
        Expect.Target => "a symlink target",
        Expect.DirectoryTag => "tag 'entry' or ')'",
        Expect.NameTag => "tag 'name'",
        Expect.Name => "an entry name",
        Expect.NodeTag => "tag 'node'",
        _ => "nothing more",
    };
}
