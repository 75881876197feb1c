namespace Vega.Lite.E2E.Support;

/// <summary>
/// A small closure built by real Nix for a test: three paths with references between them (a file; a directory with
/// an executable and a symlink,; a path that refers to both), made unique per run by a nonce.
/// </summary>
public sealed record TestClosure(string Top, IReadOnlyList<string> Paths)
{
    public static async Task<TestClosure> BuildAsync(NixEnvironment nix, int payloadBytes = 0)
    {
        var nonce = Guid.NewGuid().ToString("N")[..10];
        var expression = Path.Combine(nix.Directory, $"closure-{nonce}.nix");
        File.WriteAllText(expression,
            $$"""
            let
              sh = "/bin/sh";
              mk = name: script: derivation {
                inherit name;
                system = builtins.currentSystem;
                builder = sh;
                args = [ "-c" script ];
                allowSubstitutes = false;
              };
              leaf = mk "vega-leaf-{{nonce}}" "echo hello {{nonce}} > $out";
              tree = mk "vega-tree-{{nonce}}" ''
                /bin/mkdir -p $out/bin $out/share
                echo '#!/bin/sh' > $out/bin/run && /bin/chmod +x $out/bin/run
                /bin/ln -s ${leaf} $out/share/leaf
                /bin/head -c {{payloadBytes}} /dev/urandom > $out/share/payload
              '';
              top = mk "vega-top-{{nonce}}" ''
                /bin/mkdir $out
                echo ${tree} > $out/tree
                echo ${leaf} > $out/leaf
              '';
            in top
            """);
        var build = await nix.RunAsync("nix-build", [expression, "--no-out-link"]);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException(build.Describe("nix-build"));
        }
        var top = build.Stdout.Trim().Split('\n').Last();
        var closure = await nix.RunAsync("nix-store", ["-qR", top]);
        if (closure.ExitCode != 0)
        {
            throw new InvalidOperationException(closure.Describe("nix-store -qR"));
        }
        var paths = closure.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new TestClosure(top, paths);
    }
}
