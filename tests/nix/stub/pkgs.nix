# A stand-in for the few nixpkgs builders the module calls, as real derivations built by Debian's Nix
# (sandbox off, builder /bin/sh with Debian's PATH) instead of stdenv. What they produce is what nixpkgs'
# versions produce: a text file, an executable script in bin/, the output of a shell snippet. So `nix-build`
# of the module's configuration really runs the build-time check-config against the binary.
#
# vega-lite-server is the binary built by scripts/publish.sh, imported into the store and laid out as
# nix/package.nix lays it out (lib/vega-lite-server/ with the binary; bin/ with vega-lite, atticd and atticadm
# linked to it).
{ lib, publishDir }:
let
  shellDerivation =
    name: env: script:
    derivation (
      env
      // {
        inherit name;
        system = builtins.currentSystem;
        # dash: Nix 2.8 here SIGKILLs bash builders at random (7 of 12 runs), never dash ones.
        builder = "/bin/sh";
        args = [
          "-euc"
          script
        ];
        PATH = "/usr/local/bin:/usr/bin:/bin";
      }
    );

  published = builtins.path {
    name = "vega-lite-published";
    path = publishDir;
    # The executable and the SQLite library published beside it (until it is linked in); not the debug symbols.
    filter = path: type: builtins.elem (baseNameOf path) [ "vega-lite" "libe_sqlite3.so" ];
  };
in
{
  writeText = name: text: shellDerivation name { inherit text; } ''printf '%s' "$text" > "$out"'';

  writeShellScriptBin =
    name: text:
    shellDerivation name { inherit text; } ''
      mkdir -p "$out/bin"
      printf '#!/bin/bash\n%s' "$text" > "$out/bin/${name}"
      chmod +x "$out/bin/${name}"
    '';

  runCommand = name: env: script: shellDerivation name env script;

  formats.toml = _: { type = lib.types.attrsOf lib.types.tomlValue; };

  # nixpkgs' own vega-lite is the Vega-Lite visualization grammar: the module must never pick it.
  vega-lite = throw "the module read pkgs.vega-lite, which in nixpkgs is the Vega-Lite visualization grammar";

  # Only to see which file the module falls back to without the overlay; never built.
  callPackage = path: _: {
    type = "derivation";
    name = "callPackage ${baseNameOf path}";
    outPath = "/nonexistent/callPackage";
  };

  vega-lite-server = shellDerivation "vega-lite-server" { } ''
    mkdir -p "$out/lib" "$out/bin"
    ln -s ${published} "$out/lib/vega-lite-server"
    for name in vega-lite atticd atticadm; do
      ln -s ../lib/vega-lite-server/vega-lite "$out/bin/$name"
    done
  '';
}
