using System.Diagnostics;

namespace Vega.Lite.E2E.Hostile;

/// <summary>What a server has stored: its blob and temporary files, and the row count of every table that holds uploads.</summary>
internal sealed record StorageSnapshot(string Files, string Rows)
{
    public string Describe(StorageSnapshot after) =>
        $"rows (nar, chunk, chunkref, object, vega_nix_upload, vega_upload_lease) {Rows} -> {after.Rows}; " +
        $"files: {Diff(Files, after.Files)}";

    private static string Diff(string before, string after)
    {
        var old = before.Split('\n').ToHashSet();
        var now = after.Split('\n').ToHashSet();
        return $"+[{string.Join(", ", now.Except(old))}] -[{string.Join(", ", old.Except(now))}]";
    }
}

/// <summary>
/// Reads a running server's storage directory and SQLite database (read-only, through python3's sqlite3 module, a
/// stated test prerequisite), so a test can show a refused upload left nothing behind.
/// </summary>
internal sealed class StorageState : IDisposable
{
    public const string CountsQuery =
        "SELECT (SELECT count(*) FROM nar), (SELECT count(*) FROM chunk), (SELECT count(*) FROM chunkref), " +
        "(SELECT count(*) FROM object), (SELECT count(*) FROM vega_nix_upload), (SELECT count(*) FROM vega_upload_lease)";

    private const string Script = """
        import json, sqlite3, sys
        con = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True, isolation_level=None, timeout=10)
        for line in sys.stdin:
            try:
                print(json.dumps(con.execute(line).fetchall()), flush=True)
            except Exception as e:
                print(json.dumps({'error': str(e)}), flush=True)
        """;

    private readonly string _storage;
    private readonly Process _python;
    private readonly SemaphoreSlim _lock = new(1);

    public StorageState(string directory)
    {
        _storage = Path.Combine(directory, "storage");
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-u", "-c", Script, Path.Combine(directory, "server.db") })
        {
            info.ArgumentList.Add(arg);
        }
        _python = Process.Start(info) ?? throw new InvalidOperationException("cannot start python3");
    }

    public async Task<string> QueryAsync(string sql)
    {
        await _lock.WaitAsync();
        try
        {
            await _python.StandardInput.WriteLineAsync(sql.ReplaceLineEndings(" "));
            await _python.StandardInput.FlushAsync();
            var line = await _python.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            return line ?? throw new InvalidOperationException("python3 sqlite helper exited");
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<StorageSnapshot> TakeAsync() => new(Files(), await QueryAsync(CountsQuery));

    /// <summary>Every file under storage (blobs and .tmp), relative, sorted.</summary>
    public string Files() =>
        Directory.Exists(_storage)
            ? string.Join('\n', Directory.GetFiles(_storage, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_storage, f)).Order(StringComparer.Ordinal))
            : "";

    /// <summary>Blob files no chunk row names, and upload leases left: both must be empty after a GC pass.</summary>
    public async Task<List<string>> OrphansAsync()
    {
        var referenced = await QueryAsync("SELECT remote_file ->> '$.Local.name' FROM chunk");
        var problems = Directory.Exists(_storage)
            ? Directory.GetFiles(_storage, "*.chunk", SearchOption.AllDirectories).Select(Path.GetFileName)
                .Where(name => !referenced.Contains(name!, StringComparison.Ordinal)).Select(name => "orphan blob " + name).ToList()
            : [];
        var leases = await QueryAsync("SELECT id FROM vega_upload_lease");
        if (leases != "[]")
        {
            problems.Add("upload leases left: " + leases);
        }
        var temporary = Path.Combine(_storage, ".tmp");
        if (Directory.Exists(temporary) && Directory.GetFiles(temporary).Length > 0)
        {
            problems.Add("temporary files left: " + string.Join(", ", Directory.GetFiles(temporary).Select(Path.GetFileName)));
        }
        return problems;
    }

    public void Dispose()
    {
        try
        {
            _python.StandardInput.Close();
            if (!_python.WaitForExit(5000))
            {
                _python.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
        _python.Dispose();
    }
}
