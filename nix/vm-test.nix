# A NixOS VM test of the module with the package: nix build .#checks.x86_64-linux.nixos-vm
# It covers what tests/nix cannot: NixOS's real module system, the unit under systemd with its hardening,
# DynamicUser and StateDirectory, ensure-cache at start, systemd-run behind vega-lite-atticadm, and nginx.
# NEVER RUN: written where there is no nixpkgs and no KVM. Expect to fix details the first time it runs.
{
  pkgs,
  module,
  package,
}:
pkgs.testers.runNixOSTest {
  name = "vega-lite";

  nodes.server = {
    imports = [ module ];
    # A fixed test key. In the store, which is fine for a test only; the module asserts on the option's value
    # (a path under /etc), not on where /etc points.
    environment.etc."vega-lite.env".text = ''
      ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64=dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IGZvciB0aGUgdm0gdGVzdCBvbmx5
    '';
    services.vega-lite = {
      enable = true;
      inherit package;
      environmentFile = "/etc/vega-lite.env";
      caches = {
        open-cache.public = true;
        closed-cache.retentionPeriod = 3600;
      };
      nginx = {
        enable = true;
        hostName = "server";
        enableACME = false;
      };
    };
    networking.firewall.allowedTCPPorts = [ 80 ];
  };

  nodes.client =
    { pkgs, ... }:
    {
      environment.systemPackages = [ pkgs.curl ];
    };

  testScript = ''
    start_all()
    server.wait_for_unit("vega-lite.service")
    server.wait_for_open_port(8080)
    server.wait_for_unit("nginx.service")

    with subtest("the hardening is in force"):
        server.succeed("systemctl show vega-lite -p ProtectSystem | grep -qx ProtectSystem=strict")
        server.succeed("systemctl show vega-lite -p DynamicUser | grep -qx DynamicUser=yes")
        server.succeed("systemctl show vega-lite -p MemoryDenyWriteExecute | grep -qx MemoryDenyWriteExecute=yes")

    with subtest("declared caches exist; only the public one is readable without a token"):
        client.wait_until_succeeds("curl -fsS http://server/open-cache/nix-cache-info | grep -q 'StoreDir: /nix/store'")
        client.fail("curl -fsS http://server/closed-cache/nix-cache-info")

    with subtest("vega-lite-atticadm makes tokens the server accepts"):
        token = server.succeed(
            "vega-lite-atticadm make-token --sub vm-test --validity '1 hour' --pull closed-cache"
        ).strip()
        client.succeed(f"curl -fsS -H 'Authorization: Bearer {token}' http://server/closed-cache/nix-cache-info")

    with subtest("a restart ensures the caches again without failing"):
        server.succeed("systemctl restart vega-lite.service")
        server.wait_for_unit("vega-lite.service")
        client.wait_until_succeeds("curl -fsS http://server/open-cache/nix-cache-info")

    with subtest("the package also answers as atticd"):
        server.succeed("${package}/bin/atticd --help")
  '';
}
