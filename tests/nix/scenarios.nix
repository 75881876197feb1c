# The configurations eval-module.nix evaluates, each a NixOS module for the stand-in module system, and the
# strings TOML must escape (eval-module.sh compares them with what the binary signs into a token).
{
  lib,
  evalConfig,
  envFile,
  scratch,
  port,
}:
let
  atticHardening = import ./attic-hardening.nix;
in
rec {
  tricky = rec {
    token-bound-issuer =
      "quote \" backslash \\ tab \t newline \n dollar \${x} unicode é ✓ "
      + builtins.fromJSON ''"control \u0001 delete \u007f"'';
    token-bound-audiences = [
      "plain"
      token-bound-issuer
    ];
  };

  configs = {
    defaults = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
      };
    };

    nginxAndCaches = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.garbage-collection.default-retention-period = "3 months";
        nginx = {
          enable = true;
          hostName = "cache.example.org";
        };
        caches = {
          main.public = true;
          no-upstream.upstreamCacheKeyNames = [ ];
          private-builds = {
            retentionPeriod = 1209600;
            priority = 30;
            upstreamCacheKeyNames = [
              "cache.nixos.org-1"
              "nix-community.cachix.org-1"
            ];
          };
        };
      };
    };

    nginxPlainHttp = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.listen = "[::]:9000";
        nginx = {
          enable = true;
          hostName = "cache.internal";
          enableACME = false;
        };
      };
    };

    nginxExplicitEndpoint = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.api-endpoint = "https://cache.example.org/attic/";
        nginx = {
          enable = true;
          hostName = "cache.example.org";
        };
      };
    };

    customStorage = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        mode = "api-server";
        settings = {
          storage = {
            type = "local";
            path = "/srv/vega-lite";
          };
          database.url = "sqlite:///srv/db/server.db?mode=rwc";
        };
      };
    };

    s3Storage = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.storage = {
          type = "s3";
          region = "us-east-1";
          bucket = "attic";
          endpoint = "https://s3.example.org";
        };
      };
    };

    localPostgres = evalConfig {
      services.postgresql.enable = true;
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.database.url = "postgresql:///attic?host=/run/postgresql";
      };
    };

    disabled = evalConfig { services.vega-lite.settings.listen = "[::]:1"; };

    # Started for real by eval-module.sh: everything under `scratch`, the database URL from the environment file
    # (null removes the module's default), one public and one private cache.
    runnable = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = "${scratch}/vega-lite.env";
        settings = {
          listen = "127.0.0.1:${port}";
          database.url = null;
          storage = {
            type = "local";
            path = "${scratch}/storage";
          };
        };
        caches = {
          open-cache.public = true;
          closed-cache = {
            retentionPeriod = 3600;
            priority = 30;
            upstreamCacheKeyNames = [ ];
          };
        };
      };
    };

    # Strings TOML must escape, carried to the binary: eval-module.sh reads them back from a token it signs.
    trickyStrings = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.jwt = {
          inherit (tricky) token-bound-issuer token-bound-audiences;
          signing.token-hs256-secret-base64 = "dGVzdCBzZWNyZXQ=";
        };
      };
    };

    # services.atticd running vega-lite: the compatibility module, imported before a stand-in for the unit of
    # Attic's module (its hardening and environment), must still end up after Attic's filter.
    atticdCompat = evalConfig {
      imports = [
        ../../nixos-module/atticd-compat.nix
        {
          options.services.atticd.enable = lib.mkEnableOption "atticd";
          config.systemd.services.atticd.serviceConfig = {
            inherit (atticHardening) SystemCallFilter ProtectSystem;
          };
        }
      ];
      services.atticd.enable = true;
    };

    # A value the server refuses: building the checked configuration must fail.
    invalid = evalConfig {
      services.vega-lite = {
        enable = true;
        environmentFile = envFile;
        settings.compression.type = "lzip";
      };
    };
  };
}
