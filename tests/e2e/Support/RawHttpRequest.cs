using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Vega.Lite.E2E.Support;

/// <summary>
/// An HTTP/1.1 request written by hand on a socket, so a test controls exactly when each body byte leaves: half a
/// body then silence, or a trickle. Sent with <c>Connection: close</c>, so the server's close ends the response.
/// </summary>
public sealed class RawHttpRequest : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly bool _chunked;
    private readonly MemoryStream _received = new();

    private RawHttpRequest(TcpClient client, bool chunked)
    {
        _client = client;
        _stream = client.GetStream();
        _chunked = chunked;
    }

    /// <summary>Connects and sends the request line and headers; the body is chunked unless a length is given.</summary>
    public static async Task<RawHttpRequest> StartAsync(int port, string method, string target, IEnumerable<string> headers, long? contentLength)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var request = new RawHttpRequest(client, contentLength is null);
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append(contentLength is { } length ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n").Append("\r\n");
        await request._stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        return request;
    }

    /// <summary>Sends the next body bytes (one chunk when chunked).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_chunked)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
            await _stream.WriteAsync(bytes);
            await _stream.WriteAsync("\r\n"u8.ToArray());
        }
        else
        {
            await _stream.WriteAsync(bytes);
        }
        await _stream.FlushAsync();
    }

    /// <summary>Ends a chunked body.</summary>
    public Task EndAsync() => _chunked ? _stream.WriteAsync("0\r\n\r\n"u8.ToArray()).AsTask() : Task.CompletedTask;

    /// <summary>
    /// Reads until the server closes the connection (end of stream or reset) and returns how long that took, or
    /// null when it is still open after <paramref name="limit"/>.
    /// </summary>
    public async Task<TimeSpan?> WaitForCloseAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(limit);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(buffer, timeout.Token);
                if (n == 0)
                {
                    return clock.Elapsed;
                }
                _received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return clock.Elapsed; // reset by the server
        }
    }

    /// <summary>What the server sent before it closed, as text.</summary>
    public string Received => Encoding.UTF8.GetString(_received.ToArray());

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
