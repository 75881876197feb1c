namespace Vega.Lite.Core.Tests.Support;

/// <summary>Writes and reads through streams in deliberately odd slice sizes.</summary>
internal static class SlicedIo
{
    private static readonly int[] Slices = [1, 7, 4093, 13, 65537, 2, 131071, 999, (1 << 20) + 3];

    public static void WriteSliced(Stream destination, ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (!data.IsEmpty)
        {
            int n = Math.Min(Slices[i++ % Slices.Length], data.Length);
            if (n == 1)
            {
                destination.WriteByte(data[0]);
            }
            else
            {
                destination.Write(data[..n]);
            }

            data = data[n..];
        }
    }

    public static async Task WriteSlicedAsync(Stream destination, ReadOnlyMemory<byte> data)
    {
        int i = 0;
        while (!data.IsEmpty)
        {
            int n = Math.Min(Slices[i++ % Slices.Length], data.Length);
            await destination.WriteAsync(data[..n]);
            data = data[n..];
        }
    }

    public static byte[] ReadAllSliced(Stream source)
    {
        var result = new MemoryStream();
        byte[] buffer = new byte[Slices.Max()];
        int i = 0;
        while (true)
        {
            int want = Slices[i++ % Slices.Length];
            if (want == 1)
            {
                int b = source.ReadByte();
                if (b < 0)
                {
                    break;
                }

                result.WriteByte((byte)b);
                continue;
            }

            int n = source.Read(buffer, 0, want);
            if (n == 0)
            {
                break;
            }

            result.Write(buffer, 0, n);
        }

        return result.ToArray();
    }

    public static async Task<byte[]> ReadAllSlicedAsync(Stream source)
    {
        var result = new MemoryStream();
        byte[] buffer = new byte[Slices.Max()];
        int i = 0;
        while (true)
        {
            int n = await source.ReadAsync(buffer.AsMemory(0, Slices[i++ % Slices.Length]));
            if (n == 0)
            {
                break;
            }

            result.Write(buffer, 0, n);
        }

        return result.ToArray();
    }
}
