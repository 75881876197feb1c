# Evaluates nixos-module/default.nix with the configurations of scenarios.nix, through the stand-in module system
# and builders in stub/, and compares what it produces with values written out here by hand (never computed by the
# module's code).
#   nix-instantiate --eval --strict --json -A failures tests/nix/eval-module.nix   -> [] when every expectation holds
#   nix-build -A builds.<scenario> tests/nix/eval-module.nix                       -> the unit, built (config checked)
# eval-module.sh runs both, then runs what the build produced against the real binary.
{
  publishDir ? toString ../../artifacts/bin,
  # For the scenario that eval-module.sh starts for real: a scratch directory and a free port.
  scratch ? "/tmp/vega-lite-nix-eval",
  port ? "18080",
  # The example configuration cut out of nixos-module/README.md by eval-module.sh.
  readmeExample ? null,
}:
let
  inherit (builtins)
    attrNames
    concatLists
    filter
    isString
    match
    readFile
    toJSON
    tryEval
    unsafeDiscardStringContext
    ;

  lib = import ./stub/lib.nix;
  pkgs = import ./stub/pkgs.nix { inherit lib publishDir; };

  evalConfigWith =
    pkgs: testModule:
    (lib.evalModules {
      modules = [
        ./stub/nixos-base.nix
        ../../nixos-module
        testModule
      ];
      specialArgs = { inherit pkgs; };
    }).config;
  evalConfig = evalConfigWith pkgs;

  failedAssertions = config: map (a: a.message) (filter (a: !a.assertion) config.assertions);

  expect =
    name: actual: expected:
    if actual == expected then
      [ ]
    else
      [
        {
          inherit name;
          actual = toJSON actual;
          expected = toJSON expected;
        }
      ];
  expectMatch =
    name: regex: actual:
    # Regular expressions cannot carry string context (the store paths they mention).
    if isString actual && match (unsafeDiscardStringContext regex) (unsafeDiscardStringContext actual) != null then
      [ ]
    else
      [
        {
          inherit name;
          actual = toJSON actual;
          expected = "a match of ${regex}";
        }
      ];
  # The first assertion message must contain `fragment`.
  expectAssertion =
    name: config: fragment:
    let
      messages = failedAssertions config;
    in
    if messages != [ ] && match ".*${fragment}.*" (builtins.head messages) != null then
      [ ]
    else
      [
        {
          inherit name;
          actual = toJSON messages;
          expected = "a failed assertion saying: ${fragment}";
        }
      ];
  expectEvalError =
    name: value:
    if (tryEval (builtins.deepSeq value value)).success then
      [
        {
          inherit name;
          actual = "evaluated";
          expected = "an evaluation error";
        }
      ]
    else
      [ ];

  envFile = "/run/keys/vega-lite.env";
  package = "${pkgs.vega-lite-server}";
  vegaLite = "${package}/bin/vega-lite";
  storeName = "/nix/store/[0-9a-z]{32}-";
  checkedConfigRegex = "${storeName}checked-vega-lite-server[.]toml";

  unitOf = config: config.systemd.services.vega-lite;
  serviceOf = config: (unitOf config).serviceConfig;
  # The checked configuration the unit runs with, read back from ExecStart.
  checkedConfigOf =
    config:
    builtins.head (
      match (unsafeDiscardStringContext "${vegaLite} -f (${checkedConfigRegex}) --mode .*") (serviceOf config).ExecStart
    );

  atticHardening = import ./attic-hardening.nix;
  fromScenarios = import ./scenarios.nix { inherit lib evalConfig envFile scratch port; };
  inherit (fromScenarios) tricky;
  scenarios = fromScenarios.configs;

  # The deliberate differences, both measured by hardening.sh: the .NET runtime calls sched_setaffinity at every
  # start, and a call outside the filter gets EPERM rather than SIGSYS.
  expectedHardening = atticHardening // {
    SystemCallFilter = atticHardening.SystemCallFilter ++ [ "sched_setaffinity" ];
    SystemCallErrorNumber = "EPERM";
  };


  readme = if readmeExample == null then null else evalConfig (import readmeExample);

  withEnable = extra: evalConfig { services.vega-lite = { enable = true; } // extra; };

  vlib = import ../../nixos-module/lib.nix;

  checks = concatLists [
    # lib.nix's quoting and address handling, on inputs the scenarios do not reach.
    (expect "systemd quoting" (vlib.systemdCommand [ "plain/path-1.0" "two words" "100%" "$HOME" "q\"uote" "back\\slash" ])
      ''plain/path-1.0 "two words" "100%%" "$$HOME" "q\"uote" "back\\slash"''
    )
    (expect "shell quoting" (vlib.shellArg "it's") "'it'\\''s'")
    (expect "proxy targets" (map vlib.proxyTarget [ "0.0.0.0:8080" "[::]:80" "[::1]:9" "10.0.0.5:8080" ":8080" ]) [
      "http://127.0.0.1:8080"
      "http://[::1]:80"
      "http://[::1]:9"
      "http://10.0.0.5:8080"
      "http://127.0.0.1:8080"
    ])
    (expect "ReadWritePaths: shared directory once, state directory never" (vlib.readWritePaths {
      storage = {
        type = "local";
        path = "/srv/cache";
      };
      database.url = "sqlite:///srv/cache/server.db?mode=rwc";
    }) [ "/srv/cache" ])
    (expect "ReadWritePaths: inside /var/lib/vega-lite" (vlib.readWritePaths {
      storage = {
        type = "local";
        path = "/var/lib/vega-lite/other";
      };
      database.url = "sqlite:///var/lib/vega-lite/other.db";
    }) [ ])
    (expect "local PostgreSQL detection" (map vlib.usesLocalPostgres [
      "postgresql:///attic?host=/run/postgresql"
      "postgres://attic@localhost/attic"
      "postgresql://attic@127.0.0.1:5432/attic"
      "postgresql://attic@db.example.org/attic"
      "sqlite:///run/postgresql/x.db"
    ]) [ true true true false false ])

    # defaults: Attic's module's defaults, under /var/lib/vega-lite.
    (expect "defaults: settings" scenarios.defaults.services.vega-lite.settings {
      database.url = "sqlite:///var/lib/vega-lite/server.db?mode=rwc";
      storage = {
        type = "local";
        path = "/var/lib/vega-lite/storage";
      };
    })
    (expect "defaults: server.toml" scenarios.defaults.services.vega-lite.configFile.text ''
      [database]
      url = "sqlite:///var/lib/vega-lite/server.db?mode=rwc"

      [storage]
      path = "/var/lib/vega-lite/storage"
      type = "local"
    '')
    (expect "defaults: hardening" (builtins.intersectAttrs expectedHardening (serviceOf scenarios.defaults)) expectedHardening)
    (expect "defaults: unit" (removeAttrs (serviceOf scenarios.defaults) (attrNames expectedHardening ++ [ "ExecStart" ])) {
      DynamicUser = true;
      EnvironmentFile = envFile;
      Group = "vega-lite";
      ReadWritePaths = [ ];
      Restart = "on-failure";
      RestartSec = 10;
      StateDirectory = "vega-lite";
      User = "vega-lite";
    })
    (expectMatch "defaults: ExecStart" "${vegaLite} -f ${checkedConfigRegex} --mode monolithic" (serviceOf scenarios.defaults).ExecStart)
    (expect "defaults: no environment beyond systemd's" (unitOf scenarios.defaults).environment { })
    (expect "defaults: ordering" {
      inherit (unitOf scenarios.defaults) wantedBy wants after requires;
    } {
      wantedBy = [ "multi-user.target" ];
      wants = [ "network-online.target" ];
      after = [ "network-online.target" ];
      requires = [ ];
    })
    (expect "defaults: admin wrapper installed" (map (p: p.name) scenarios.defaults.environment.systemPackages) [ "vega-lite-atticadm" ])
    (expect "defaults: no nginx" scenarios.defaults.services.nginx null)
    (expect "defaults: no assertion fails" (failedAssertions scenarios.defaults) [ ])

    # nginx and declared caches.
    (expect "nginx: listen and api-endpoint defaults" {
      inherit (scenarios.nginxAndCaches.services.vega-lite.settings) listen api-endpoint garbage-collection;
    } {
      listen = "127.0.0.1:8080";
      api-endpoint = "https://cache.example.org/";
      garbage-collection.default-retention-period = "3 months";
    })
    (expect "nginx: nginx enabled" scenarios.nginxAndCaches.services.nginx.enable true)
    (expect "nginx: virtual host" scenarios.nginxAndCaches.services.nginx.virtualHosts {
      "cache.example.org" = {
        enableACME = true;
        forceSSL = true;
        locations."/" = {
          proxyPass = "http://127.0.0.1:8080";
          recommendedProxySettings = false;
          extraConfig = readFile ../../nixos-module/nginx-proxy.conf;
        };
      };
    })
    (expect "caches: ExecStartPre" (serviceOf scenarios.nginxAndCaches).ExecStartPre (
      let
        prefix = "${vegaLite} -f ${checkedConfigOf scenarios.nginxAndCaches} ensure-cache";
      in
      [
        "${prefix} main --public --retention-period global --priority 41 --upstream-cache-key-name cache.nixos.org-1"
        "${prefix} no-upstream --private --retention-period global --priority 41 --no-upstream-cache-key-names"
        "${prefix} private-builds --private --retention-period 1209600 --priority 30 --upstream-cache-key-name cache.nixos.org-1 --upstream-cache-key-name nix-community.cachix.org-1"
      ]
    ))
    (expect "caches: no assertion fails" (failedAssertions scenarios.nginxAndCaches) [ ])

    (expect "nginx without ACME: http endpoint, wildcard listen proxied on loopback" {
      endpoint = scenarios.nginxPlainHttp.services.vega-lite.settings.api-endpoint;
      vhost = scenarios.nginxPlainHttp.services.nginx.virtualHosts."cache.internal";
    } {
      endpoint = "http://cache.internal/";
      vhost = {
        enableACME = false;
        forceSSL = false;
        locations."/" = {
          proxyPass = "http://[::1]:9000";
          recommendedProxySettings = false;
          extraConfig = readFile ../../nixos-module/nginx-proxy.conf;
        };
      };
    })
    (expect "nginx: an explicit api-endpoint wins" scenarios.nginxExplicitEndpoint.services.vega-lite.settings.api-endpoint "https://cache.example.org/attic/")

    # Storage elsewhere: the whole section replaced, its paths writable, the other mode.
    (expect "custom storage: settings" scenarios.customStorage.services.vega-lite.settings {
      database.url = "sqlite:///srv/db/server.db?mode=rwc";
      storage = {
        type = "local";
        path = "/srv/vega-lite";
      };
    })
    (expect "custom storage: ReadWritePaths" (serviceOf scenarios.customStorage).ReadWritePaths [ "/srv/vega-lite" "/srv/db" ])
    (expectMatch "custom storage: mode" ".* --mode api-server" (serviceOf scenarios.customStorage).ExecStart)
    (expect "s3 storage: no local path left over" scenarios.s3Storage.services.vega-lite.settings.storage {
      type = "s3";
      region = "us-east-1";
      bucket = "attic";
      endpoint = "https://s3.example.org";
    })
    (expect "s3 storage: nothing extra writable" (serviceOf scenarios.s3Storage).ReadWritePaths [ ])

    (expect "local PostgreSQL: ordered after it" {
      inherit (unitOf scenarios.localPostgres) after requires;
    } {
      after = [ "network-online.target" "postgresql.service" ];
      requires = [ "postgresql.service" ];
    })

    (expect "without the overlay: the package is built from nix/package.nix"
      (evalConfigWith (removeAttrs pkgs [ "vega-lite-server" ]) { }).services.vega-lite.package.name
      "callPackage package.nix"
    )

    (expect "services.atticd with vega-lite: the unit gets what the binary needs, after Attic's filter"
      scenarios.atticdCompat.systemd.services.atticd
      {
        environment = { };
        serviceConfig = {
          SystemCallFilter = [
            "@system-service"
            "~@resources"
            "~@privileged"
            "sched_setaffinity"
          ];
          SystemCallErrorNumber = "EPERM";
          ProtectSystem = "strict";
        };
      }
    )

    (expect "disabled: no unit" scenarios.disabled.systemd null)
    (expect "disabled: no wrapper" scenarios.disabled.environment.systemPackages [ ])
    (expect "disabled: no assertions" scenarios.disabled.assertions [ ])

    (if readme == null then [ ] else expect "README example: no assertion fails" (failedAssertions readme) [ ])

    # Assertions and type errors.
    (expectAssertion "no environmentFile" (withEnable { }) "environmentFile is not set")
    (expectAssertion "environmentFile in the store" (withEnable {
      environmentFile = "/nix/store/00000000000000000000000000000000-vega-lite.env";
    }) "must stay out of the Nix store")
    (expectAssertion "environmentFile as a path literal" (withEnable { environmentFile = ./eval-module.nix; }) "must stay out of the Nix store")
    (expectAssertion "invalid cache name" (withEnable {
      environmentFile = envFile;
      caches."-leading-dash" = { };
    }) "not valid cache names.*-leading-dash")
    (expectEvalError "unknown mode" (serviceOf (withEnable {
      environmentFile = envFile;
      mode = "garbage-collector-once";
    })).ExecStart)
    (expectEvalError "nginx without hostName" (attrNames (withEnable {
      environmentFile = envFile;
      nginx.enable = true;
    }).services.nginx.virtualHosts))
    (expectEvalError "retention period beyond 32 bits" (serviceOf (withEnable {
      environmentFile = envFile;
      caches.main.retentionPeriod = 2147483648;
    })).ExecStartPre)
    (expectEvalError "unknown cache option" (serviceOf (withEnable {
      environmentFile = envFile;
      caches.main.pubic = true;
    })).ExecStartPre)
  ];

  # What eval-module.sh inspects and runs, as one JSON file whose build builds the unit's dependencies (the
  # package, the checked configuration, the admin wrapper).
  report =
    config:
    pkgs.writeText "vega-lite-unit.json" (toJSON {
      inherit (unitOf config) serviceConfig environment;
      adminWrapper = "${builtins.head config.environment.systemPackages}/bin/vega-lite-atticadm";
      serverToml = config.services.vega-lite.configFile;
    });
in
{
  failures = checks;
  inherit tricky;
  builds = builtins.mapAttrs (_: report) (
    {
      inherit (scenarios)
        defaults
        nginxAndCaches
        customStorage
        runnable
        invalid
        trickyStrings
        ;
    }
    // (if readme == null then { } else { readmeExample = readme; })
  );
}
