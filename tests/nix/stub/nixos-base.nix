# The options of other NixOS modules that nixos-module/default.nix reads or adds to, declared as NixOS declares them.
# Everything else it sets (systemd.services, services.nginx) is merged freeform by stub/modules.nix.
{ lib, ... }:
{
  options = {
    assertions = lib.mkOption {
      type = lib.types.listOf lib.types.anything;
      default = [ ];
    };
    environment.systemPackages = lib.mkOption {
      type = lib.types.listOf lib.types.package;
      default = [ ];
    };
    services.postgresql.enable = lib.mkEnableOption "PostgreSQL";
  };
}
