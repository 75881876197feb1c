namespace Vega.Lite.E2E.Support;

/// <summary>
/// Real Nix (Debian's nix-bin) as root in single-user mode, offline: no substituters but the ones a test names,
/// a private netrc file and cache directory per test so runs never see each other's state.
/// </summary>
public sealed class NixEnvironment : IDisposable
{
    public NixEnvironment()
    {
        Directory = Path.Combine(Path.GetTempPath(), "vega-e2e-nix-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        NetrcPath = Path.Combine(Directory, "netrc");
        File.WriteAllText(NetrcPath, "");
    }

    public string Directory { get; }

    public string NetrcPath { get; }

    /// <summary>Whether <c>nix-store</c> is on PATH, where the tests run it from (as install-test-deps.sh checks).</summary>
    public static bool IsAvailable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "nix-store")));

    /// <summary>Writes the netrc entry Nix uses for HTTP caches on 127.0.0.1 (Basic auth, token as password).</summary>
    public void SetToken(string? token) =>
        File.WriteAllText(NetrcPath, token is null ? "" : $"machine 127.0.0.1\nlogin vega\npassword {token}\n");

    public Dictionary<string, string> Env(params string[] extraConfigLines) => new()
    {
        ["NIX_CONFIG"] = string.Join('\n', new[]
        {
            "experimental-features = nix-command",
            "sandbox = false",
            "build-users-group =",
            "substituters =",
            $"netrc-file = {NetrcPath}",
            "narinfo-cache-negative-ttl = 0",
            "narinfo-cache-positive-ttl = 0",
        }.Concat(extraConfigLines)),
        // A private client cache: Nix 2.8 never re-reads nix-cache-info and keeps narinfos for 30 days otherwise.
        ["XDG_CACHE_HOME"] = Path.Combine(Directory, "cache"),
        ["HOME"] = Directory,
    };

    public Task<ProcessResult> RunAsync(string program, IEnumerable<string> args, params string[] extraConfigLines) =>
        Processes.RunAsync(program, args, Env(extraConfigLines), TimeSpan.FromMinutes(4));

    /// <summary>
    /// Builds <paramref name="count"/> paths named <c>NAME-NONCE-i</c> whose builder runs <paramref name="script"/>
    /// (<c>/bin/sh -c</c>; <c>$out</c> and <c>${toString i}</c> expand), never substituted; their store paths in order.
    /// </summary>
    public async Task<string[]> BuildManyAsync(string name, int count, string script)
    {
        var nonce = Guid.NewGuid().ToString("N")[..10];
        var expression = Path.Combine(Directory, $"{name}-{nonce}.nix");
        File.WriteAllText(expression,
            $$"""
            builtins.genList (i: derivation {
              name = "{{name}}-{{nonce}}-${toString i}";
              system = builtins.currentSystem;
              builder = "/bin/sh";
              args = [ "-c" "{{script}}" ];
              allowSubstitutes = false;
            }) {{count}}
            """);
        var build = await RunAsync("nix-build", [expression, "--no-out-link"]);
        Assert.True(build.ExitCode == 0, build.Describe("nix-build"));
        var paths = build.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, paths.Length);
        return paths;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
