using System.Diagnostics.CodeAnalysis;

namespace Vega.Lite.Core.Nix.Nar;

/// <summary>
/// Push-style, incremental NAR validator: feed the bytes of a NAR in slices of any size, then call
/// <see cref="Complete"/>. File contents are skipped, never buffered, so memory use is constant.
/// </summary>
/// <remarks>
/// Accepts exactly the canonical NAR grammar that <c>nix-store --dump</c> writes and Nix parses:
/// magic, zero padding, tag order, strictly sorted unique entry names (no <c>.</c>, <c>..</c>, <c>/</c>, NUL,
/// empty, longer than 255 bytes), non-empty symlink targets without NUL up to 4095 bytes, and no bytes after the root
/// node. Nesting is not limited, since Nix dumps and copies trees of any depth (deep <c>node_modules</c>); what the
/// validator holds is bounded instead: the path of the current node may be at most <see cref="MaxPathLength"/> bytes,
/// and memory grows only with it. Any violation throws
/// <see cref="InvalidDataException"/>; after that every further call throws the same error.
/// An instance validates one NAR and is not thread-safe.
/// </remarks>
public sealed partial class NarValidator
{
    /// <summary>
    /// The longest path (names joined by <c>/</c>) a node may have: 1 MiB, about 4,000 names of Nix's maximum length,
    /// and far beyond what a file system can hold. It bounds the validator's memory at a few MiB whatever the depth.
    /// </summary>
    public const int DefaultMaxPathLength = 1024 * 1024;

    internal const int MaxTagLength = 32;
    internal const int MaxNameLength = 255;
    internal const int MaxTargetLength = 4095;

    private enum Lex : byte
    {
        Length,
        Bytes,
        Contents,
        Padding,
    }

    private readonly Action<NarEntry>? _onEntry;
    private readonly byte[] _buffer = new byte[MaxTargetLength];
    private Lex _lex;
    private int _have;
    private ulong _lengthBits;
    private long _length;
    private long _remaining;
    private int _padding;
    private long _position;
    private long _tokenStart;
    private string? _fault;
    private bool _completed;

    /// <summary>A validator that only validates.</summary>
    public NarValidator()
        : this(null)
    {
    }

    /// <summary>A validator that also reports each node to <paramref name="onEntry"/> as soon as it is parsed.</summary>
    /// <param name="onEntry">
    /// Called for every node (root first, depth-first, in NAR order) as soon as its header is parsed, so
    /// a regular file is reported before its contents are validated; null for none. If it throws, the
    /// exception propagates and the validator must not be used again.
    /// </param>
    /// <param name="maxPathLength">The longest path in bytes a node may have; a longer one is rejected.</param>
    public NarValidator(Action<NarEntry>? onEntry, int maxPathLength = DefaultMaxPathLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPathLength, NarValidator.MaxNameLength);
        _onEntry = onEntry;
        MaxPathLength = maxPathLength;
    }

    /// <summary>The longest path in bytes a node may have.</summary>
    public int MaxPathLength { get; }

    /// <summary>Number of bytes fed so far (the NarSize once complete).</summary>
    public long Position => _position;

    /// <summary>True once the root node has been closed; any further byte is an error.</summary>
    public bool IsComplete => _expect == Expect.End && _fault is null;

    /// <summary>Validates the next slice of the NAR.</summary>
    /// <exception cref="InvalidDataException">The NAR is invalid.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was already called.</exception>
    public void Feed(ReadOnlySpan<byte> data)
    {
        ThrowIfUnusable();
        while (!data.IsEmpty)
        {
            int consumed = _lex switch
            {
                Lex.Length => ReadLength(data),
                Lex.Bytes => ReadBytes(data),
                Lex.Contents => SkipContentChunk(data.Length),
                _ => ReadPadding(data),
            };
            data = data[consumed..];
        }
    }

    /// <summary>Declares the end of input; throws unless the NAR ended exactly after its root node.</summary>
    /// <exception cref="InvalidDataException">The NAR is truncated or was invalid.</exception>
    public void Complete()
    {
        ThrowIfUnusable();
        if (_expect != Expect.End)
        {
            string what = _lex switch
            {
                Lex.Contents => $"file contents of '{Printable.Truncate(_paths.Path)}' ({_remaining} bytes missing)",
                Lex.Padding => "padding",
                _ => Describe(_expect),
            };
            Fail(_position, $"the NAR is truncated: input ended while expecting {what}");
        }

        _completed = true;
    }

    /// <summary>Bytes of file contents still to come before the next token (0 unless inside contents).</summary>
    internal long PendingContentBytes => _fault is null && _lex == Lex.Contents ? _remaining : 0;

    /// <summary>Accounts for <paramref name="count"/> content bytes the caller skipped without reading (seek).</summary>
    internal void SkipContentBytes(long count)
    {
        ThrowIfUnusable();
        if (count < 0 || count > PendingContentBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        SkipContents(count);
    }

    private int ReadLength(ReadOnlySpan<byte> data)
    {
        if (_expect == Expect.End)
        {
            Fail(_position, "unexpected data after the end of the NAR");
        }

        if (_have == 0)
        {
            _tokenStart = _position;
        }

        int count = Math.Min(8 - _have, data.Length);
        for (int i = 0; i < count; i++)
        {
            _lengthBits |= (ulong)data[i] << (8 * (_have + i));
        }

        _have += count;
        _position += count;
        if (_have == 8)
        {
            ulong length = _lengthBits;
            _have = 0;
            _lengthBits = 0;
            BeginString(length);
        }

        return count;
    }

    private void BeginString(ulong length)
    {
        if (_expect == Expect.Contents)
        {
            if (length > (ulong)(long.MaxValue - _position))
            {
                Fail(_tokenStart, $"file size {length} is too large");
            }

            _length = (long)length;
            _remaining = _length;
            Emit(NarEntryType.Regular, _length, _executable, null, _position);
            if (_remaining == 0)
            {
                BeginPadding();
            }
            else
            {
                _lex = Lex.Contents;
            }

            return;
        }

        int max = MaxStringLength(_expect);
        if (length > (ulong)max)
        {
            Fail(_tokenStart, TooLong(_expect, length));
        }

        _length = (int)length;
        if (length == 0)
        {
            BeginPadding();
        }
        else
        {
            _lex = Lex.Bytes;
        }
    }

    private int ReadBytes(ReadOnlySpan<byte> data)
    {
        int count = (int)Math.Min(_length - _have, data.Length);
        data[..count].CopyTo(_buffer.AsSpan(_have));
        _have += count;
        _position += count;
        if (_have == _length)
        {
            _have = 0;
            BeginPadding();
        }

        return count;
    }

    private int SkipContentChunk(int available)
    {
        int count = (int)Math.Min(_remaining, available);
        _remaining -= count;
        _position += count;
        if (_remaining == 0)
        {
            BeginPadding();
        }

        return count;
    }

    private void SkipContents(long count)
    {
        _remaining -= count;
        _position += count;
        if (_remaining == 0)
        {
            BeginPadding();
        }
    }

    private void BeginPadding()
    {
        _padding = (int)((8 - (_length & 7)) & 7);
        if (_padding == 0)
        {
            EndString();
        }
        else
        {
            _lex = Lex.Padding;
        }
    }

    private int ReadPadding(ReadOnlySpan<byte> data)
    {
        int count = Math.Min(_padding, data.Length);
        int bad = data[..count].IndexOfAnyExcept((byte)0);
        if (bad >= 0)
        {
            Fail(_position + bad, $"non-zero padding byte 0x{data[bad]:x2}");
        }

        _padding -= count;
        _position += count;
        if (_padding == 0)
        {
            EndString();
        }

        return count;
    }

    private void EndString()
    {
        _lex = Lex.Length;
        if (_expect == Expect.Contents)
        {
            _expect = Expect.NodeClose;
        }
        else
        {
            OnToken(_buffer.AsSpan(0, (int)_length));
        }
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            throw new InvalidDataException(_fault);
        }

        if (_completed)
        {
            throw new InvalidOperationException("The NAR validator has already completed.");
        }
    }

    [DoesNotReturn]
    private void Fail(long offset, string message)
    {
        _fault = $"Invalid NAR at byte offset {offset}: {message}.";
        throw new InvalidDataException(_fault);
    }
}
