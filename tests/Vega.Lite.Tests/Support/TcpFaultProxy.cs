using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Vega.Lite.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a real server that can cut connections: each new connection asks
/// <see cref="CutAfter"/> how many bytes of the server's answer to pass before closing it mid-response, as a
/// flaky network or proxy would. Bytes pass unchanged, so signed requests stay valid.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Task _accepting;
    private int _connections;
    private int _cuts;

    public TcpFaultProxy(Uri upstream)
    {
        _upstream = upstream;
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>Connection number (from 0) → bytes of the response to pass before cutting; null passes everything.</summary>
    public Func<int, long?> CutAfter { get; set; } = _ => null;

    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = RelayAsync(client, CutAfter(Interlocked.Increment(ref _connections) - 1));
        }
    }

    private async Task RelayAsync(Socket client, long? budget)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(client);
        _sockets.Add(server);
        try
        {
            await server.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
            var up = PumpAsync(client, server, null);
            var down = PumpAsync(server, client, budget);
            await Task.WhenAny(up, down);
        }
        catch (Exception)
        {
            // a relay ends when either side goes away
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    private async Task PumpAsync(Socket from, Socket to, long? budget)
    {
        var buffer = new byte[64 * 1024];
        long passed = 0;
        while (true)
        {
            var n = await from.ReceiveAsync(buffer, _stop.Token);
            if (n == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            if (budget is { } limit && passed + n >= limit)
            {
                await to.SendAsync(buffer.AsMemory(0, (int)(limit - passed)), _stop.Token);
                Interlocked.Increment(ref _cuts);
                to.Shutdown(SocketShutdown.Send); // a clean end (FIN) mid-response: the bytes sent arrive, then EOF
                await Task.Delay(200);            // let them arrive before the close
                return;                           // the caller closes both sockets
            }
            await to.SendAsync(buffer.AsMemory(0, n), _stop.Token);
            passed += n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            socket.Close();
        }
        await _accepting;
        _stop.Dispose();
    }
}
