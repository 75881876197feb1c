using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vega.Lite.Tests.Support;

namespace Vega.Lite.E2E.Support;

/// <summary>
/// The published AOT binary (path in VEGA_LITE_BIN), started on a free 127.0.0.1 port with its own config and
/// data directory, and stopped (killed if it will not stop) when disposed.
/// </summary>
public sealed class VegaLiteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private VegaLiteProcess(Process process, string directory, string configPath, int port)
    {
        _process = process;
        Directory = directory;
        ConfigPath = configPath;
        Port = port;
    }

    public string Directory { get; }
    public string ConfigPath { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static string Binary =>
        Environment.GetEnvironmentVariable("VEGA_LITE_BIN") is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                "VEGA_LITE_BIN must name the published AOT binary (tests/run-all.sh publishes it and sets this)");

    /// <summary>
    /// A config for a fresh data directory: HS256 key, SQLite (or a new PostgreSQL database when
    /// <see cref="PostgresServer.Selected"/>) and local storage inside it, or the
    /// <paramref name="storageToml"/> section (with its own <c>[storage]</c> header) in place of local storage.
    /// </summary>
    public static string WriteConfig(string directory, string extraToml = "", string? storageToml = null, string? databaseUrl = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        var path = Path.Combine(directory, "server.toml");
        var database = databaseUrl ?? (PostgresServer.Selected
            ? PostgresServer.NewSharedDatabaseAsync().GetAwaiter().GetResult() // a database of its own on the shared server
            : $"sqlite://{directory}/server.db?mode=rwc");
        File.WriteAllText(path,
            $"""
            listen = "127.0.0.1:0"
            {extraToml}
            [database]
            url = "{database}"
            {storageToml ?? $"[storage]\ntype = \"local\"\npath = \"{directory}/storage\""}
            [jwt.signing]
            token-hs256-secret-base64 = "{secret}"
            """);
        return path;
    }

    /// <summary>
    /// Starts the binary on <paramref name="directory"/>'s server.toml when there is one (a restart), else on a new
    /// config from <see cref="WriteConfig"/>.
    /// </summary>
    /// <param name="ownPidNamespace">
    /// Run it in a PID namespace of its own (<c>unshare --pid --mount-proc</c>, root only), as in a container of its
    /// own: no other process sees its PID, so others judge its uploads by its heartbeat alone.
    /// </param>
    public static async Task<VegaLiteProcess> StartAsync(
        string? directory = null, string extraToml = "", string? storageToml = null, bool ownPidNamespace = false, string[]? extraArgs = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "vega-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var configPath = Path.Exists(Path.Combine(directory, "server.toml"))
            ? Path.Combine(directory, "server.toml")
            : WriteConfig(directory, extraToml, storageToml);
        var port = FreePort();
        var info = new ProcessStartInfo(ownPidNamespace ? "unshare" : Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] wrapper = ownPidNamespace ? ["--pid", "--fork", "--mount-proc", "--kill-child", Binary] : [];
        foreach (var arg in wrapper.Concat(["-f", configPath, "-l", $"127.0.0.1:{port}", "--mode", "monolithic", .. extraArgs ?? []]))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start vega-lite");
        var server = new VegaLiteProcess(process, directory, configPath, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(20));
        return server;
    }

    /// <summary>SIGTERM, as systemd or a container runtime stops a service; returns without waiting for the exit.</summary>
    public async Task TerminateAsync()
    {
        var result = await Processes.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.Describe("kill -TERM"));
    }

    /// <summary>The exit code once the process has exited by itself within <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        await _process.WaitForExitAsync().WaitAsync(limit);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would; the data directory stays for a restart.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Runs <c>--mode garbage-collector-once</c> on this server's config; returns its report line. A pass skipped
    /// because a server's own pass had the turn is run again, for at most a minute.
    /// </summary>
    public async Task<string> CollectGarbageAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var result = await Processes.RunAsync(Binary, ["-f", ConfigPath, "--mode", "garbage-collector-once"], timeout: TimeSpan.FromSeconds(120));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(result.Describe("garbage-collector-once"));
            }
            if (!result.Stdout.Contains("skipped, another process is collecting") || DateTime.UtcNow > deadline)
            {
                return result.Stdout.Trim();
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The blob files in this server's local storage.</summary>
    public string[] BlobFiles() =>
        System.IO.Directory.Exists(Path.Combine(Directory, "storage"))
            ? System.IO.Directory.GetFiles(Path.Combine(Directory, "storage"), "*.chunk", SearchOption.AllDirectories)
            : [];

    /// <summary>Runs an attic client call, adding this server's log to the message when it fails.</summary>
    public async Task<T> LoggedAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AtticApiException e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- server\n{Log}", e);
        }
    }

    /// <summary>Runs the binary's own make-token against this server's config.</summary>
    public async Task<string> MakeTokenAsync(params string[] flags)
    {
        var result = await Processes.RunAsync(Binary, ["-f", ConfigPath, "make-token", "--sub", "e2e", "--validity", "1 hour", .. flags]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe("make-token"));
        }
        return result.Stdout.Trim();
    }

    /// <summary>Runs the binary's own revoke-token against this server's config; returns what it printed.</summary>
    public async Task<string> RevokeTokenAsync(params string[] args)
    {
        var result = await Processes.RunAsync(Binary, ["-f", ConfigPath, "revoke-token", .. args]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe("revoke-token"));
        }
        return result.Stdout.Trim();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan limit)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"vega-lite exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await client.GetAsync(BaseUrl + "/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"vega-lite did not answer within {limit}:\n{Log}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
