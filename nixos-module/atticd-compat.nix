# For services.atticd (nixpkgs' module or Attic's) running vega-lite instead of atticd:
#   imports = [ vega-lite.nixosModules.atticd-compat ];
#   services.atticd.package = pkgs.vega-lite-server;
# The package's atticd and atticadm links make the unit, the build-time check and atticd-atticadm work as they are.
# What the unit lacks for a .NET binary is added here (see lib.nix, serviceEnvironment and hardening): the one
# system call Attic's filter would kill it for, and EPERM for the others.
{ config, lib, ... }:
let
  vlib = import ./lib.nix;
in
{
  config = lib.mkIf config.services.atticd.enable {
    systemd.services.atticd = {
      environment = vlib.serviceEnvironment;
      serviceConfig = {
        # After Attic's "~@resources", which would otherwise remove it again.
        SystemCallFilter = lib.mkAfter [ "sched_setaffinity" ];
        inherit (vlib.hardening) SystemCallErrorNumber;
      };
    };
  };
}
