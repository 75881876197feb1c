using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Vega.Lite.Tests.Support;

/// <summary>
/// A real, throwaway PostgreSQL 15 for tests: initdb into a private directory, then <c>postgres</c> as a direct child
/// on 127.0.0.1 with a free port, its Unix socket in the same directory, and durability off (fsync,
/// synchronous_commit, full_page_writes); trust authentication for the <c>postgres</c> user. Stopped with SIGINT (fast
/// shutdown), killed if that takes too long, and its directory deleted, when disposed.
/// <para>initdb refuses to run as root, so as root both run as the <c>postgres</c> user through
/// <c>setpriv --reuid=postgres --regid=postgres --init-groups --</c>, which execs in place: the child's pid is the
/// postmaster's. Run as the <c>postgres</c> user itself, they run directly. Any other user cannot start one, and
/// <see cref="StartAsync"/> says so (a test that needs PostgreSQL fails, it does not skip). The binaries are looked for in
/// PG_BIN, else /usr/lib/postgresql/15/bin (Debian's postgresql-15; scripts/install-test-deps.sh installs it).</para>
/// <para>Tests share one server through <see cref="PostgresFixture"/> (the <c>[Collection(PostgresCollection.Name)]</c>)
/// and take a database each from <see cref="CreateDatabaseAsync"/>, so initdb (about 1.5 s) is paid once.</para>
/// This file depends on nothing but the BCL and xunit, so the end-to-end tests link it too (tests/e2e/Vega.Lite.E2E.csproj).
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    public const string User = "postgres";
    private const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    private const int SigInt = 2;
    private static readonly TimeSpan InitLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);
    private const int PortAttempts = 5;

    private readonly Process _process;
    private readonly List<string> _log;
    private int _databases;

    private PostgresServer(Process process, List<string> log, string directory, int port)
    {
        _process = process;
        _log = log;
        Directory = directory;
        Port = port;
    }

    /// <summary>The private directory: the cluster in <c>data/</c>, and the Unix socket <c>.s.PGSQL.PORT</c>.</summary>
    public string Directory { get; }
    public int Port { get; }
    public int ProcessId => _process.Id;
    public string SocketDirectory => Directory;

    /// <summary>The server's output so far (its log goes to stderr).</summary>
    public string Log { get { lock (_log) { return string.Join('\n', _log); } } }

    public static string BinDirectory =>
        Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured ? configured : DefaultBinDirectory;

    /// <summary>initdb, start, wait until it accepts connections. Throws, with the reason and the server's output,
    /// when that cannot be done.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory;
        foreach (var tool in new[] { "initdb", "postgres", "pg_isready", "psql" })
        {
            if (!File.Exists(Path.Combine(bin, tool)))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL 15 is not installed: {Path.Combine(bin, tool)} is missing. Run scripts/install-test-deps.sh (it installs postgresql-15) or set PG_BIN to the directory of initdb and postgres");
            }
        }
        var asRoot = Environment.UserName == "root";
        if (!asRoot && Environment.UserName != User)
        {
            throw new InvalidOperationException(
                $"the PostgreSQL tests start a private server, which needs root (to run initdb and postgres as the '{User}' user with setpriv) or the '{User}' user itself; these tests run as '{Environment.UserName}'");
        }
        var directory = Path.Combine(Path.GetTempPath(), "vega-pg-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            if (asRoot)
            {
                await RunAsync("chown", [$"{User}:{User}", directory], InitLimit, asPostgres: false, directory);
            }
            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", Path.Combine(directory, "data"), "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                InitLimit, asPostgres: asRoot, directory);
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var (process, log) = Launch(bin, directory, port, asRoot);
                var server = new PostgresServer(process, log, directory, port);
                var ready = await server.WaitReadyAsync(bin);
                if (ready)
                {
                    return server;
                }
                var output = server.Log;
                await server.StopProcessAsync();
                server._process.Dispose();
                // Another process took the port between our probe and postgres's bind: try another one.
                if (attempt < PortAttempts && output.Contains("could not bind", StringComparison.Ordinal))
                {
                    continue;
                }
                throw new InvalidOperationException(
                    $"PostgreSQL ({bin}/postgres) did not accept connections on 127.0.0.1:{port} within {StartLimit.TotalSeconds} s:\n{output}");
            }
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>Creates a database and returns its URL, <c>postgres://postgres@127.0.0.1:PORT/NAME</c> (trust: no password).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"database name '{name}' is not [a-z_][a-z0-9_]* (at most 63 characters)", nameof(name));
        }
        await RunAsync(Path.Combine(BinDirectory, "psql"),
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-U", User, "-d", "postgres", "-c", $"CREATE DATABASE \"{name}\""],
            StartLimit, asPostgres: false, Directory);
        return Url(name);
    }

    /// <summary>
    /// Rows of <paramref name="sql"/> in the database a URL of <see cref="Url"/> names, through psql: one line per row,
    /// columns joined by <c>|</c>, NULL as <c>NULL</c>. A failing statement throws with psql's message.
    /// </summary>
    public async Task<List<string>> QueryAsync(string databaseUrl, string sql)
    {
        var database = databaseUrl[(databaseUrl.LastIndexOf('/') + 1)..];
        var output = await RunAsync(Path.Combine(BinDirectory, "psql"),
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-P", "null=NULL", "-h", "127.0.0.1",
             "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", User, "-d", database, "-c", sql],
            StartLimit, asPostgres: false, Directory);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>A new database with a name of its own (<c>PREFIX_N</c>), for one test.</summary>
    public Task<string> CreateDatabaseAsync() =>
        CreateDatabaseAsync($"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}");

    public string Url(string database) => $"postgres://{User}@127.0.0.1:{Port}/{database}";

    /// <summary>
    /// Whether this run of a suite keeps the server's metadata on PostgreSQL: <c>VEGA_LITE_TEST_DATABASE=postgres</c>
    /// (tests/run-all.sh runs the in-process and end-to-end suites once on SQLite and once so).
    /// </summary>
    public static bool Selected => Environment.GetEnvironmentVariable("VEGA_LITE_TEST_DATABASE") == "postgres";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(async () =>
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().Wait(StopLimit + StopLimit);
        return server;
    });

    /// <summary>One server for the whole test process, started on first use and stopped when the process exits.</summary>
    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    /// <summary>A new database on the shared server, for one server under test.</summary>
    public static async Task<string> NewSharedDatabaseAsync() => await (await SharedAsync()).CreateDatabaseAsync();

    /// <summary>The database URL for one server under test: a new database on the shared server when <see cref="Selected"/>, else SQLite's file in <paramref name="directory"/>.</summary>
    public static async Task<string> NewDatabaseUrlAsync(string directory) =>
        Selected ? await NewSharedDatabaseAsync() : $"sqlite://{directory}/server.db";

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        _process.Dispose();
        DeleteDirectory(Directory);
    }

    /// <summary>SIGINT (PostgreSQL's fast shutdown: open transactions roll back), then SIGKILL when it takes longer than
    /// <see cref="StopLimit"/>.</summary>
    private async Task StopProcessAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        if (Kill(_process.Id, SigInt) == 0)
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(StopLimit);
                return;
            }
            catch (TimeoutException)
            {
            }
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(StopLimit);
    }

    private async Task<bool> WaitReadyAsync(string bin)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // the output read to its end
                return false;
            }
            var info = new ProcessStartInfo(Path.Combine(bin, "pg_isready"))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[] { "-q", "-h", "127.0.0.1", "-p", port, "-U", User, "-t", "2" })
            {
                info.ArgumentList.Add(arg);
            }
            using var probe = Process.Start(info) ?? throw new InvalidOperationException("cannot start pg_isready");
            await probe.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (probe.ExitCode == 0)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    private static (Process Process, List<string> Log) Launch(string bin, string directory, int port, bool asRoot)
    {
        var info = Start(Path.Combine(bin, "postgres"), asRoot, directory);
        foreach (var arg in new[]
                 {
                     "-D", Path.Combine(directory, "data"),
                     "-c", "listen_addresses=127.0.0.1",
                     "-c", $"port={port}",
                     "-c", $"unix_socket_directories={directory}",
                     "-c", "fsync=off",
                     "-c", "synchronous_commit=off",
                     "-c", "full_page_writes=off",
                     // Many servers under test at once, each with a pool of its own (PostgresUrl.MaxPoolSize).
                     "-c", "max_connections=400",
                 })
        {
            info.ArgumentList.Add(arg);
        }
        var log = new List<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start postgres");
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    log.Add(line);
                }
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log);
    }

    /// <summary>A port nobody listens on now; postgres binds it a moment later, so a race is retried by the caller.</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static ProcessStartInfo Start(string program, bool asPostgres, string workingDirectory)
    {
        var info = new ProcessStartInfo(asPostgres ? "setpriv" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The test's own directory may not be readable by the postgres user.
            WorkingDirectory = workingDirectory,
        };
        if (asPostgres)
        {
            foreach (var arg in new[] { $"--reuid={User}", $"--regid={User}", "--init-groups", "--", program })
            {
                info.ArgumentList.Add(arg);
            }
        }
        // libpq and initdb read these; a developer's settings must not leak into the throwaway server.
        foreach (var variable in new[] { "PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE" })
        {
            info.Environment.Remove(variable);
        }
        info.Environment["LC_ALL"] = "C.UTF-8";
        return info;
    }

    private static async Task<string> RunAsync(string program, string[] args, TimeSpan limit, bool asPostgres, string workingDirectory)
    {
        var info = Start(program, asPostgres, workingDirectory);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {limit.TotalSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            var how = asPostgres ? $" (as {User}, through setpriv)" : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', args)}{how} exited with {process.ExitCode}:\n{await stdout}{await stderr}");
        }
        return await stdout;
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}

/// <summary>One <see cref="PostgresServer"/> for every test class in <see cref="PostgresCollection"/>; a test takes
/// its own database with <c>CreateDatabaseAsync()</c>. When the server cannot start, every such test fails with why.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture has not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
