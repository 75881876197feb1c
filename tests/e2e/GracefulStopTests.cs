using System.Net;
using System.Security.Cryptography;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// SIGTERM (issue 19, item 2): the published binary stops accepting connections at once, lets an upload in flight
/// finish and record its path, then exits 0; a restart serves that path.
/// </summary>
public sealed class GracefulStopTests : IDisposable
{
    private readonly string _files = Path.Combine(Path.GetTempPath(), "vega-stop-" + Guid.NewGuid().ToString("N")[..10]);

    public GracefulStopTests() => Directory.CreateDirectory(_files);

    public void Dispose() => Directory.Delete(_files, recursive: true);

    [Fact]
    public async Task An_upload_in_flight_at_SIGTERM_finishes_and_is_kept_while_new_connections_are_refused()
    {
        var file = Path.Combine(_files, "payload");
        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(4 * 1024 * 1024));
        var nar = Nars.Dump(file);
        var storePath = "/nix/store/" + new string('s', 32) + "-drained";

        var server = await VegaLiteProcess.StartAsync();
        VegaLiteProcess? restarted = null;
        try
        {
            var created = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", server.ConfigPath, "ensure-cache", "drain", "--public"]);
            Assert.True(created.ExitCode == 0, created.Describe("ensure-cache"));
            using var client = CacheApi.Client(server.BaseUrl, await server.MakeTokenAsync("--push", "drain", "--pull", "drain"));

            var halfSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var request = new HttpRequestMessage(HttpMethod.Put, "_api/v1/upload-path") { Content = new PausingContent(nar, halfSent, resume.Task) };
            request.Headers.Add("X-Attic-Nar-Info", CacheApi.NarInfoHeader("drain", storePath, nar));
            var upload = client.SendAsync(request);
            await halfSent.Task.WaitAsync(TimeSpan.FromSeconds(30));

            await server.TerminateAsync();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await AcceptsConnectionsAsync(server.Port))
            {
                Assert.True(DateTime.UtcNow < deadline, "still accepting connections 10 s after SIGTERM\n" + server.Log);
                await Task.Delay(50);
            }
            resume.SetResult();

            using (var response = await upload.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{server.Log}");
                Assert.Contains("\"kind\":\"Uploaded\"", body);
            }
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            restarted = await VegaLiteProcess.StartAsync(server.Directory);
            using var reader = CacheApi.Client(restarted.BaseUrl, null);
            Assert.Equal(HttpStatusCode.OK, await CacheApi.StatusAsync(reader, $"drain/{new string('s', 32)}.narinfo"));
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
            await server.DisposeAsync();
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A body that sends its first half, says so, and sends the rest once <paramref name="resume"/> completes.</summary>
    private sealed class PausingContent(byte[] data, TaskCompletionSource halfSent, Task resume) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = data.Length / 2;
            await stream.WriteAsync(data.AsMemory(0, half));
            await stream.FlushAsync();
            halfSent.TrySetResult();
            await resume;
            await stream.WriteAsync(data.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = data.Length;
            return true;
        }
    }
}
