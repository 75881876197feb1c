# The package without flakes: nix-build (or callPackage this file's nix/package.nix from your own nixpkgs).
# The NixOS module is ./nixos-module: imports = [ /path/to/vega-lite/nixos-module ];
{
  pkgs ? import <nixpkgs> { },
}:
pkgs.callPackage ./nix/package.nix { }
