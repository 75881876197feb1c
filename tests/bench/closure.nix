# A closure of real npm packages as Nix store paths, for tests/bench/storage.sh. Each package is a derivation that
# copies the package's files and lists its dependencies' store paths in nix-support/propagated-build-inputs, so a
# changed dependency changes every dependent's store path and NAR, as a rebuild does in nixpkgs.
# packages: JSON file of [{ name, dir, deps = [names] }], in dependency order.
{ packages }:
let
  list = builtins.fromJSON (builtins.readFile packages);
  build = done: pkg:
    done // {
      ${pkg.name} = derivation {
        name = builtins.replaceStrings [ "@" "/" ] [ "" "-" ] pkg.name;
        system = builtins.currentSystem;
        builder = "/bin/sh";
        src = builtins.path { path = pkg.dir; name = "npm-source"; };
        deps = map (dep: done.${dep}) pkg.deps;
        args = [ "-c" ''
          /bin/cp -r "$src" "$out" && /bin/chmod -R u+w "$out" && /bin/mkdir -p "$out/nix-support"
          echo "$deps" > "$out/nix-support/propagated-build-inputs"
        '' ];
        allowSubstitutes = false;
      };
    };
  all = builtins.foldl' build { } list;
in
derivation {
  name = "npm-closure";
  system = builtins.currentSystem;
  builder = "/bin/sh";
  roots = builtins.attrValues all;
  args = [ "-c" "echo $roots > $out" ];
}
