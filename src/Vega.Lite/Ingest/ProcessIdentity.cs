namespace Vega.Lite.Ingest;

/// <summary>
/// Names this process uniquely on this host (boot, pid, start time), and tells whether the process a name belongs to
/// is still running. SQLite metadata means one host, so this is enough to tell a live upload from a crashed one.
/// </summary>
internal static class ProcessIdentity
{
    public static string Current { get; } = Describe(Environment.ProcessId) ?? $"unknown:{Environment.ProcessId}:0";

    /// <summary>
    /// False only when the owner is surely gone: its pid no longer runs, or runs a different process (another start
    /// time or boot). When the process cannot be inspected it counts as alive: a leak beats deleting a live upload.
    /// </summary>
    public static bool IsAlive(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[1], out var pid) || !Directory.Exists($"/proc/{pid}"))
        {
            return false;
        }
        var now = Describe(pid);
        return now is null || parts[0] == "unknown" || now == owner;
    }

    private static string? Describe(int pid)
    {
        try
        {
            var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime) counts from the end of the command name, which may itself hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{bootId}:{pid}:{fields[19]}";
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
