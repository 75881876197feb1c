using System.Buffers;

namespace Vega.Lite.Core.Nix.Nar;

/// <summary>
/// Pull-style NAR reading over a <see cref="Stream"/>, built on <see cref="NarValidator"/>: validates the
/// whole stream and lists its nodes without buffering file contents (on seekable streams contents are
/// seeked over, not read).
/// </summary>
public sealed class NarReader
{
    private const int BufferSize = 64 * 1024;

    private NarReader()
    {
    }

    /// <summary>Reads <paramref name="nar"/> to its end and validates it.</summary>
    /// <exception cref="InvalidDataException">The NAR is invalid, truncated, or followed by extra bytes.</exception>
    public static void Validate(Stream nar)
    {
        ArgumentNullException.ThrowIfNull(nar);
        var validator = new NarValidator();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = ReadChunk(nar, validator, buffer)) > 0)
            {
                validator.Feed(buffer.AsSpan(0, read));
            }

            validator.Complete();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads <paramref name="nar"/> to its end and validates it.</summary>
    /// <returns>The NAR's size in bytes.</returns>
    /// <exception cref="InvalidDataException">The NAR is invalid, truncated, or followed by extra bytes.</exception>
    public static async Task<long> ValidateAsync(Stream nar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nar);
        var validator = new NarValidator();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await nar.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                validator.Feed(buffer.AsSpan(0, read));
            }

            validator.Complete();
            return validator.Position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Lists the nodes of <paramref name="nar"/> lazily, root first, in NAR order, validating as it goes.
    /// The whole stream is validated by the time the enumeration ends.
    /// </summary>
    /// <exception cref="InvalidDataException">The NAR is invalid (thrown during enumeration).</exception>
    public static IEnumerable<NarEntry> ReadEntries(Stream nar)
    {
        ArgumentNullException.ThrowIfNull(nar);
        return ReadEntriesCore(nar);
    }

    private static IEnumerable<NarEntry> ReadEntriesCore(Stream nar)
    {
        var pending = new Queue<NarEntry>();
        var validator = new NarValidator(pending.Enqueue);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read = ReadChunk(nar, validator, buffer);
                if (read == 0)
                {
                    validator.Complete();
                    yield break;
                }

                validator.Feed(buffer.AsSpan(0, read));
                while (pending.TryDequeue(out NarEntry? entry))
                {
                    yield return entry;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ReadChunk(Stream nar, NarValidator validator, byte[] buffer)
    {
        long pending = validator.PendingContentBytes;
        if (pending > buffer.Length && nar.CanSeek)
        {
            // Skip whole contents without reading them; never past the end, so truncation is still seen.
            long skip = Math.Min(pending, nar.Length - nar.Position);
            if (skip > 0)
            {
                nar.Seek(skip, SeekOrigin.Current);
                validator.SkipContentBytes(skip);
            }
        }

        return nar.Read(buffer, 0, buffer.Length);
    }
}
