using System.Diagnostics;
using System.Text.Json;

namespace Vega.Lite.E2E.Support;

/// <summary>A path in the test's Nix store as Nix itself reports it: its NAR from <c>nix-store --dump</c> and its <c>nix path-info --json</c>.</summary>
public sealed record NixStorePath(
    string Path, byte[] Nar, IReadOnlyList<string> References, string? Deriver, string? Ca, IReadOnlyList<string> Signatures)
{
    public string BaseName => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Real store paths for fixtures, from real Nix only (no Vega.Lite code): NARs by <c>nix-store --dump</c>, metadata by
/// <c>nix path-info --json</c>, signing keys by <c>nix key generate-secret</c>.
/// </summary>
public static class NixStorePaths
{
    /// <summary>A fresh Nix signing key <c>name:base64(64 bytes)</c> (the secret text atticd keeps in cache.keypair).</summary>
    public static async Task<string> GenerateKeypairAsync(NixEnvironment nix, string name)
    {
        var result = await nix.RunAsync("nix", ["key", "generate-secret", "--key-name", name]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe("nix key generate-secret"));
        }
        return result.Stdout.Trim();
    }

    /// <summary>Nix's own public key for a secret key (<c>nix key convert-secret-to-public</c>).</summary>
    public static async Task<string> PublicKeyAsync(NixEnvironment nix, string keypair)
    {
        var result = await Processes.RunAsync("nix", ["key", "convert-secret-to-public"], nix.Env(), TimeSpan.FromMinutes(1), stdin: keypair);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe("nix key convert-secret-to-public"));
        }
        return result.Stdout.Trim();
    }

    /// <summary>Each path's NAR and metadata, in the order given. References are base names, as Attic stores them.</summary>
    public static async Task<IReadOnlyList<NixStorePath>> ReadAsync(NixEnvironment nix, IReadOnlyList<string> paths)
    {
        var info = await nix.RunAsync("nix", ["path-info", "--json", .. paths]);
        if (info.ExitCode != 0)
        {
            throw new InvalidOperationException(info.Describe("nix path-info --json"));
        }
        using var json = JsonDocument.Parse(info.Stdout);
        var byPath = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.Clone());
        var result = new List<NixStorePath>();
        foreach (var path in paths)
        {
            var element = byPath[path];
            var nar = await DumpAsync(nix, path);
            if (element.GetProperty("narSize").GetInt64() != nar.LongLength)
            {
                throw new InvalidOperationException($"nix-store --dump {path} gave {nar.Length} bytes, path-info says {element.GetProperty("narSize")}");
            }
            result.Add(new NixStorePath(
                path,
                nar,
                Strings(element, "references").Select(System.IO.Path.GetFileName).ToArray()!,
                element.TryGetProperty("deriver", out var deriver) && deriver.ValueKind == JsonValueKind.String ? deriver.GetString() : null,
                element.TryGetProperty("ca", out var ca) && ca.ValueKind == JsonValueKind.String ? ca.GetString() : null,
                Strings(element, "signatures")));
        }
        return result;
    }

    /// <summary>The closure of <paramref name="top"/> (<c>nix-store -qR</c>: dependencies before dependents), read.</summary>
    public static async Task<IReadOnlyList<NixStorePath>> ReadClosureAsync(NixEnvironment nix, string top)
    {
        var closure = await nix.RunAsync("nix-store", ["-qR", top]);
        if (closure.ExitCode != 0)
        {
            throw new InvalidOperationException(closure.Describe("nix-store -qR"));
        }
        return await ReadAsync(nix, closure.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Builds a closure of <paramref name="count"/> (≥ 3) new paths NAME-NONCE-i, where path i refers to i-1 and i-2 and
    /// holds a directory with an executable, a symlink to its predecessor and random bytes of varying size; the last
    /// two also hold the same 60 KB file <see cref="SharedFileContent"/>, so their NARs share a byte range. Returns the
    /// paths in build order (index i is path i; the last is the top).
    /// </summary>
    public static async Task<string[]> BuildChainAsync(NixEnvironment nix, int count, string name = "vega-attic")
    {
        if (count < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "at least 3 paths");
        }
        var nonce = Guid.NewGuid().ToString("N")[..10];
        var bindings = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var previous = i >= 1 ? $"/bin/ln -s ${{p{i - 1}}} $out/share/previous" : "true";
            var earlier = i >= 2 ? $"echo ${{p{i - 2}}} > $out/share/earlier" : "true";
            var shared = i >= count - 2 ? "/bin/seq 1 12000 > $out/share/common" : "true";
            var payload = (i % 4) * 50_000 + 1_000 + i;
            bindings.AppendLine(
                $$"""
                  p{{i}} = mk "{{name}}-{{nonce}}-{{i}}" ''
                    /bin/mkdir -p $out/bin $out/share
                    printf '#!/bin/sh\necho {{i}}\n' > $out/bin/run-{{i}} && /bin/chmod +x $out/bin/run-{{i}}
                    {{previous}}
                    {{earlier}}
                    {{shared}}
                    /bin/head -c {{payload}} /dev/urandom > $out/share/payload
                  '';
                """);
        }
        var expression = System.IO.Path.Combine(nix.Directory, $"chain-{nonce}.nix");
        File.WriteAllText(expression,
            $$"""
            let
              mk = name: script: derivation {
                inherit name;
                system = builtins.currentSystem;
                builder = "/bin/sh";
                args = [ "-c" script ];
                allowSubstitutes = false;
              };
            {{bindings}}
            in [ {{string.Join(" ", Enumerable.Range(0, count).Select(i => $"p{i}"))}} ]
            """);
        var build = await nix.RunAsync("nix-build", [expression, "--no-out-link"]);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException(build.Describe("nix-build"));
        }
        var built = build.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (built.Length != count)
        {
            throw new InvalidOperationException(build.Describe("nix-build (wrong number of outputs)"));
        }
        return built;
    }

    /// <summary>The bytes of the <c>share/common</c> file the last two paths of <see cref="BuildChainAsync"/> hold.</summary>
    public static byte[] SharedFileContent { get; } =
        System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 12000).Select(i => i + "\n")));

    /// <summary>The path's NAR as Nix serialises it.</summary>
    public static async Task<byte[]> DumpAsync(NixEnvironment nix, string path)
    {
        var info = new ProcessStartInfo("nix-store") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--dump");
        info.ArgumentList.Add(path);
        foreach (var (key, value) in nix.Env())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start nix-store");
        var error = process.StandardError.ReadToEndAsync();
        using var nar = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(nar);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nix-store --dump {path} exited {process.ExitCode}: {await error}");
        }
        return nar.ToArray();
    }

    private static string[] Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];
}
