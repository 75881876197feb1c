using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vega.Lite.E2E.Hostile;

/// <summary>Sends hostile requests with a per-request time limit, so a hang fails its case instead of the run.</summary>
internal sealed class HostileHttp(string baseUrl, int port) : IDisposable
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<HostileResponse> SendAsync(HostileRequest request)
    {
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            return request.Raw is { } raw ? await SendRawAsync(raw, request.HalfClose, limit.Token) : await SendClientAsync(request, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return new HostileResponse(null, null, [], TimedOut: true, null);
        }
    }

    private async Task<HostileResponse> SendClientAsync(HostileRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(baseUrl + request.Target, UriKind.Absolute));
        if (request.Body is { } body)
        {
            message.Content = request.Chunked ? new UnknownLengthContent(body) : new ByteArrayContent(body);
        }
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var allow = response.Content.Headers.Allow.Count > 0 ? string.Join(", ", response.Content.Headers.Allow) : null;
            return new HostileResponse((int)response.StatusCode, allow, bytes, false, null);
        }
        catch (HttpRequestException e)
        {
            return new HostileResponse(null, null, [], false, e.Message);
        }
    }

    /// <summary>Writes the bytes on a new connection, reads until the server closes it, and parses the status line.</summary>
    private async Task<HostileResponse> SendRawAsync(byte[] raw, bool halfClose, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        try
        {
            await socket.SendAsync(raw, SocketFlags.None, ct);
            if (halfClose)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // the server answered and closed before reading everything: read what it said
        }
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        string? error = null;
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e)
        {
            error = e.SocketErrorCode.ToString();
        }
        return Parse(received.ToArray(), error);
    }

    private static HostileResponse Parse(byte[] bytes, string? error)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.", StringComparison.Ordinal) || end < 0 || text.Length < 12 || !int.TryParse(text.AsSpan(9, 3), out var status))
        {
            return new HostileResponse(null, null, bytes, false, error ?? (bytes.Length == 0 ? "no bytes" : "not an HTTP response"));
        }
        var head = text[..end].Split("\r\n");
        string? allow = head.FirstOrDefault(h => h.StartsWith("Allow:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
        var chunked = head.Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && h.Contains("chunked"));
        var body = bytes.AsSpan(end + 4).ToArray();
        return new HostileResponse(status, allow, chunked ? Dechunk(body) : body, false, null);
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var text = Encoding.Latin1.GetString(body);
        var position = 0;
        while (position < text.Length)
        {
            var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0 || !int.TryParse(text.AsSpan(position, lineEnd - position).ToString().Split(';')[0],
                    System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }
            var start = lineEnd + 2;
            output.Write(body, start, Math.Min(size, body.Length - start));
            position = start + size + 2;
        }
        return output.ToArray();
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A body whose length the client does not announce, so it goes chunked.</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
