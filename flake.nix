# The package, its container image and the NixOS module. Written where no nixpkgs exists: parsed and its module logic
# tested by tests/nix, never built or evaluated against nixpkgs (see nixos-module/README.md, docker/README.md).
{
  description = "vega-lite: a Nix binary cache server compatible with Attic's atticd, and its NixOS module";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # The NuGet lock file (nix/deps.json) holds the linux-x64 runtime packs only.
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      packages.${system} = {
        vega-lite = pkgs.callPackage ./nix/package.nix { };
        default = self.packages.${system}.vega-lite;
        # The container image of docker/Dockerfile, by dockerTools: `nix build .#image && docker load < result`.
        image = pkgs.callPackage ./nix/image.nix { vega-lite = self.packages.${system}.vega-lite; };
      };

      # pkgs.vega-lite-server: nixpkgs already has a vega-lite (the Vega-Lite visualization grammar).
      overlays.default = final: prev: { vega-lite-server = final.callPackage ./nix/package.nix { }; };

      # services.vega-lite; its package defaults to pkgs.vega-lite-server (the overlay), else builds nix/package.nix.
      nixosModules.default = ./nixos-module;
      nixosModules.vega-lite = ./nixos-module;
      # For services.atticd with services.atticd.package = pkgs.vega-lite-server.
      nixosModules.atticd-compat = ./nixos-module/atticd-compat.nix;

      checks.${system} = {
        package = self.packages.${system}.vega-lite;
        nixos-vm = import ./nix/vm-test.nix {
          inherit pkgs;
          module = self.nixosModules.default;
          package = self.packages.${system}.vega-lite;
        };
      };
    };
}
