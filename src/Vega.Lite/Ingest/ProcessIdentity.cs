namespace Vega.Lite.Ingest;

/// <summary>
/// Names this process uniquely (<c>boot+pid-namespace:pid:start-time</c>), and tells whether the process a name belongs
/// to is still running, which only a process that sees the same processes can: the same boot of the same host and
/// the same pid namespace (<see cref="SharesProcessView"/>). For any other owner, in another container or on another
/// host, garbage collection asks the owner's heartbeat instead (<c>Ingest/InstanceHeartbeat.cs</c>).
/// </summary>
internal static class ProcessIdentity
{
    public static string Current { get; } = Describe(Environment.ProcessId) ?? $"unknown:{Environment.ProcessId}:0";

    /// <summary>
    /// True when <see cref="IsAlive"/> can judge the owner from here: same boot and pid namespace (an owner named before
    /// namespaces were part of the name: same boot), or an owner that could not describe itself (its pid is checked).
    /// </summary>
    public static bool SharesProcessView(string owner)
    {
        var view = owner.Split(':')[0];
        return view == "unknown" || view == (view.Contains('+') ? Current : WithoutNamespace(Current)).Split(':')[0];
    }

    /// <summary>A name as processes named themselves before the pid namespace was part of it: <c>boot:pid:start</c>.</summary>
    private static string WithoutNamespace(string name) =>
        name.IndexOf('+') is var plus and >= 0 ? name.Remove(plus, name.IndexOf(':') - plus) : name;

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
        return now is null || parts[0] == "unknown" || (parts[0].Contains('+') ? now : WithoutNamespace(now)) == owner;
    }

    private static string? Describe(int pid)
    {
        try
        {
            var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo($"/proc/{pid}/ns/pid").LinkTarget is { } target ? target[(target.IndexOf('[') + 1)..^1] : null;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime) counts from the end of the command name, which may itself hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return pidNamespace is null ? null : $"{bootId}+{pidNamespace}:{pid}:{fields[19]}";
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
