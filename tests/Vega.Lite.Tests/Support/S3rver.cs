using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vega.Lite.Tests.Support;

/// <summary>
/// A real S3-compatible server for tests: s3rver 3.7.1 (npm), on 127.0.0.1 with a port of its own choosing, a
/// private data directory and one bucket; killed when disposed. It is found through S3RVER_BIN (set by
/// tests/run-all.sh) or in the repository's <c>.deps/s3rver</c> (scripts/install-test-deps.sh installs it there);
/// when it is missing the test fails with a message that says so.
/// This file depends on nothing but the BCL, so the end-to-end tests link it too (tests/e2e/Vega.Lite.E2E.csproj);
/// the S3 client for the in-process tests, which needs the server's internals, is in S3rver.Client.cs.
/// </summary>
public sealed partial class S3rver : IAsyncDisposable
{
    public const string Bucket = "vega-test";
    private const string DepsPath = ".deps/s3rver/node_modules/.bin/s3rver";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _log = [];

    private S3rver(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The request lines s3rver logged ("PUT /bucket/key?… 200"), in order.</summary>
    public string[] Requests
    {
        get
        {
            lock (_log)
            {
                return _log.Select(l => RequestLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();
            }
        }
    }

    public string Log { get { lock (_log) { return string.Join('\n', _log); } } }

    /// <summary>Waits (5 s at most) until s3rver has logged a request that matches; its log lags the responses a little.</summary>
    public async Task<bool> SawRequestAsync(Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!Requests.Any(match))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    public static string Binary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("S3RVER_BIN") is { Length: > 0 } configured)
            {
                return File.Exists(configured)
                    ? configured
                    : throw new InvalidOperationException($"S3RVER_BIN is {configured}, which does not exist: run scripts/install-test-deps.sh");
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DepsPath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException(
                $"s3rver is not installed: run scripts/install-test-deps.sh (it installs s3rver 3.7.1 under .deps/s3rver) or set S3RVER_BIN to the s3rver executable");
        }
    }

    public static async Task<S3rver> StartAsync()
    {
        var binary = Binary; // first: when s3rver is missing, fail before leaving an empty directory behind
        var directory = Path.Combine(Path.GetTempPath(), "vega-s3rver-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-d", directory, "-a", "127.0.0.1", "-p", "0", "--no-vhost-buckets", "--configure-bucket", Bucket })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["FORCE_COLOR"] = "1"; // s3rver cuts 16 characters off its colored request lines; plain ones would lose the method
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start s3rver");
        var server = new S3rver(process, directory);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }
            line = Ansi().Replace(line, "");
            server.Append(line);
            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri($"http://127.0.0.1:{m.Groups[1].Value}"));
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(listening.Task, exited, Task.Delay(StartLimit));
            if (first != listening.Task)
            {
                throw new InvalidOperationException(
                    $"s3rver ({Binary}) did not start listening within {StartLimit.TotalSeconds} s:\n{server.Log}");
            }
            server.Endpoint = await listening.Task;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The same as a TOML <c>[storage]</c> section, for a server under test.</summary>
    public string StorageToml => $"""
        [storage]
        type = "s3"
        region = "us-east-1"
        bucket = "{Bucket}"
        endpoint = "{Endpoint.ToString().TrimEnd('/')}"
        [storage.credentials]
        access_key_id = "S3RVER"
        secret_access_key = "S3RVER"
        """;

    /// <summary>Kills the server: requests to it fail from now on.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    [GeneratedRegex(@"listening on [^\s:]+:(\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^(?:info: )?([A-Z]+ /\S+ \d{3})")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();
}
