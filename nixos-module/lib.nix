# The logic of the services.vega-lite module, with builtins only: defaults, the unit's command lines and hardening,
# the nginx virtual host, the admin wrapper and the assertions. default.nix only wires these into NixOS options, so
# tests/nix can evaluate all of it without nixpkgs and run what it produces against the real binary.
let
  inherit (builtins)
    all
    any
    attrNames
    concatLists
    concatStringsSep
    dirOf
    elem
    elemAt
    filter
    foldl'
    genList
    isPath
    match
    replaceStrings
    storeDir
    stringLength
    substring
    ;

  hasPrefix = prefix: text: substring 0 (stringLength prefix) text == prefix;
  hasInfix =
    infix: text:
    any (start: substring start (stringLength infix) text == infix) (genList (start: start) (stringLength text + 1));
  unique = foldl' (kept: item: if elem item kept then kept else kept ++ [ item ]) [ ];

  # One word of a shell script, single-quoted.
  shellArg = value: "'" + replaceStrings [ "'" ] [ "'\\''" ] (toString value) + "'";

  # One argument of a systemd Exec= line. Quoted when systemd would split it or expand % and $ in it.
  systemdArg =
    value:
    let
      text = toString value;
    in
    if match "[A-Za-z0-9_./:@+=,-]+" text != null then
      text
    else
      "\"" + replaceStrings [ "\\" "\"" "%" "$" ] [ "\\\\" "\\\"" "%%" "$$" ] text + "\"";

  systemdCommand = args: concatStringsSep " " (map systemdArg args);
in
rec {
  inherit (import ./toml.nix) renderToml;
  inherit shellArg systemdArg systemdCommand;

  stateDirectoryName = "vega-lite";
  stateDir = "/var/lib/${stateDirectoryName}";

  # Attic's module defaults, under our state directory.
  defaultDatabaseUrl = "sqlite://${stateDir}/server.db?mode=rwc";
  # The whole section: "storage" is a tagged union (type = "local" | "s3"), so it is replaced, never merged.
  defaultStorage = {
    type = "local";
    path = "${stateDir}/storage";
  };

  # What the binary listens on when settings.listen is unset.
  serverDefaultListen = "[::]:8080";
  # Behind nginx, only nginx needs to reach the server.
  listenBehindNginx = "127.0.0.1:8080";

  # The api-endpoint clients are told about (attic use, cache URLs): the public name, ending in "/".
  publicEndpoint = { hostName, https }: "${if https then "https" else "http"}://${hostName}/";

  # Where nginx sends requests: the listen address, with a wildcard host replaced by loopback.
  proxyTarget =
    listen:
    let
      bracketed = match "[[](.*)[]]:([0-9]+)" listen;
      plain = match "([^:]*):([0-9]+)" listen;
      loopbackFor = host: if host == "::" then "[::1]" else if host == "0.0.0.0" || host == "" then "127.0.0.1" else null;
    in
    if bracketed != null then
      "http://${
        let
          host = elemAt bracketed 0;
        in
        if loopbackFor host != null then loopbackFor host else "[${host}]"
      }:${elemAt bracketed 1}"
    else if plain != null then
      "http://${
        let
          host = elemAt plain 0;
        in
        if loopbackFor host != null then loopbackFor host else host
      }:${elemAt plain 1}"
    else
      throw "services.vega-lite: cannot proxy to the listen address \"${listen}\" (expected HOST:PORT or [HOST]:PORT)";

  # The body of the build step that turns the generated file into the checked one: a configuration the server
  # would refuse fails the system build instead of the service. The secrets only exist at run time, so dummies
  # stand in for them, as in Attic's module; settings in the file take precedence over both.
  checkConfigScript =
    { vegaLite, configFile }:
    ''
      export ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64="dGVzdCBzZWNyZXQ="
      export ATTIC_SERVER_DATABASE_URL="sqlite://:memory:"
      ${shellArg vegaLite} --mode check-config -f ${shellArg configFile}
      cp ${shellArg configFile} "$out"
    '';

  execStart = { vegaLite, configFile, mode }: systemdCommand [ vegaLite "-f" configFile "--mode" mode ];

  # Declared caches are ensured on every start (idempotent), so the configuration is the source of truth: a cache
  # gets all four flags each time, and a change in the configuration reaches an existing cache.
  ensureCacheArgs =
    name: cache:
    [
      "ensure-cache"
      name
      (if cache.public then "--public" else "--private")
      "--retention-period"
      (if cache.retentionPeriod == null then "global" else toString cache.retentionPeriod)
      "--priority"
      (toString cache.priority)
    ]
    ++ (
      if cache.upstreamCacheKeyNames == [ ] then
        [ "--no-upstream-cache-key-names" ]
      else
        concatLists (map (key: [ "--upstream-cache-key-name" key ]) cache.upstreamCacheKeyNames)
    );

  ensureCacheCommands =
    { vegaLite, configFile, caches }:
    map (name: systemdCommand ([ vegaLite "-f" configFile ] ++ ensureCacheArgs name caches.${name})) (attrNames caches);

  # Attic's cache-name rule; checked at evaluation so a typo fails the build, not the service start.
  isValidCacheName = name: match "[A-Za-z0-9][A-Za-z0-9_+-]{0,49}" name != null;

  # Under ProtectSystem=strict only the state directory is writable: local storage or a SQLite file elsewhere must
  # be named.
  readWritePaths =
    settings:
    let
      storage = settings.storage or { };
      storagePaths = if (storage.type or "") == "local" && storage ? path then [ (toString storage.path) ] else [ ];
      sqliteFile = match "sqlite://(/[^?]*)(\\?.*)?" (databaseUrl settings);
      databaseDirs = if sqliteFile != null then [ (dirOf (elemAt sqliteFile 0)) ] else [ ];
      insideStateDir = path: path == stateDir || hasPrefix "${stateDir}/" path;
    in
    unique (filter (path: !insideStateDir path) (storagePaths ++ databaseDirs));

  # The database URL in the settings; "" when it comes from ATTIC_SERVER_DATABASE_URL (unset, or set to null).
  databaseUrl =
    settings:
    let
      url = settings.database.url or null;
    in
    if url == null then "" else url;

  # A PostgreSQL database on this machine: the unit then starts after it (as Attic's module does).
  usesLocalPostgres =
    url:
    (hasPrefix "postgresql://" url || hasPrefix "postgres://" url)
    && any (local: hasInfix local url) [ "localhost" "127.0.0.1" "/run/postgresql" ];

  # The unit's environment: nothing beyond what systemd sets. (An earlier binary needed
  # DOTNET_hostBuilder__reloadConfigOnChange=false here, or it watched / recursively with inotify; the server now
  # turns that reload off itself, and tests/nix/hardening.sh checks it sets no watch when started from /.)
  serviceEnvironment = { };

  # Attic's module's hardening, item for item, but for the system call filter. The .NET runtime pins two threads
  # with sched_setaffinity at every start (in @resources, which Attic's filter removes); tests/nix/hardening.sh
  # traces a representative run and finds no other call outside the filter. A call it did not see fails with
  # EPERM instead of killing the service.
  hardening = {
    CapabilityBoundingSet = [ "" ];
    DeviceAllow = "";
    DevicePolicy = "closed";
    LockPersonality = true;
    MemoryDenyWriteExecute = true;
    NoNewPrivileges = true;
    PrivateDevices = true;
    PrivateTmp = true;
    PrivateUsers = true;
    ProcSubset = "pid";
    ProtectClock = true;
    ProtectControlGroups = true;
    ProtectHome = true;
    ProtectHostname = true;
    ProtectKernelLogs = true;
    ProtectKernelModules = true;
    ProtectKernelTunables = true;
    ProtectProc = "invisible";
    ProtectSystem = "strict";
    RemoveIPC = true;
    RestrictAddressFamilies = [ "AF_INET" "AF_INET6" "AF_UNIX" ];
    RestrictNamespaces = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    SystemCallArchitectures = "native";
    SystemCallFilter = [ "@system-service" "~@resources" "~@privileged" "sched_setaffinity" ];
    SystemCallErrorNumber = "EPERM";
    UMask = "0077";
  };

  serviceConfig =
    {
      vegaLite,
      configFile,
      mode,
      environmentFile,
      user,
      group,
      caches,
      settings,
    }:
    hardening
    // {
      ExecStart = execStart { inherit vegaLite configFile mode; };
      EnvironmentFile = toString environmentFile;
      StateDirectory = stateDirectoryName;
      DynamicUser = true;
      User = user;
      Group = group;
      Restart = "on-failure";
      RestartSec = 10;
      ReadWritePaths = readWritePaths settings;
    }
    // (if caches == { } then { } else { ExecStartPre = ensureCacheCommands { inherit vegaLite configFile caches; }; });

  # The virtual host: TLS as asked, and one location whose directives are nginx-proxy.conf, verbatim.
  nginxVirtualHost =
    {
      proxyConfig,
      listen,
      enableACME,
      forceSSL,
    }:
    {
      inherit enableACME forceSSL;
      locations."/" = {
        proxyPass = proxyTarget listen;
        # nginx-proxy.conf sets the headers the server needs; NixOS's recommended set would add a second Host.
        recommendedProxySettings = false;
        extraConfig = proxyConfig;
      };
    };

  # vega-lite-atticadm: runs `vega-lite -f <checked config> ARGS` as the service's dynamic user, with its
  # environment file (the signing key) and state directory, like Attic's atticd-atticadm. Usually
  # `vega-lite-atticadm make-token …`; `ensure-cache` and `--mode garbage-collector-once` work too.
  adminWrapperScript =
    {
      vegaLite,
      configFile,
      environmentFile,
      user,
      group,
      readWritePaths,
    }:
    ''
      exec systemd-run --quiet --pipe --pty --wait --collect --service-type=exec \
        --property=EnvironmentFile=${shellArg environmentFile} \
        --property=DynamicUser=yes \
        --property=User=${shellArg user} \
        --property=Group=${shellArg group} \
        --property=StateDirectory=${stateDirectoryName} \
    ''
    + concatStringsSep "" (map (name: "  --setenv=${shellArg "${name}=${serviceEnvironment.${name}}"} \\\n") (attrNames serviceEnvironment))
    + concatStringsSep "" (map (path: "  --property=ReadWritePaths=${shellArg path} \\\n") readWritePaths)
    + ''
        -- ${shellArg vegaLite} -f ${shellArg configFile} "$@"
    '';

  # Problems in the options, as NixOS assertions ({ assertion, message }).
  assertions =
    { environmentFile, caches }:
    [
      {
        assertion = environmentFile != null;
        message = ''
          services.vega-lite.environmentFile is not set. The server needs a token signing key:
            echo "ATTIC_SERVER_TOKEN_RS256_SECRET_BASE64=$(openssl genrsa -traditional 4096 | base64 -w0)" > /etc/vega-lite.env
          then set services.vega-lite.environmentFile = "/etc/vega-lite.env"; (a quoted string).
        '';
      }
      {
        # A path literal (./vega-lite.env) is copied into the store when the unit refers to it.
        assertion = !(isPath environmentFile) && !(hasPrefix "${storeDir}/" (toString environmentFile));
        message = ''
          services.vega-lite.environmentFile must stay out of the Nix store, which every user can read.
          Give it as a quoted absolute path ("/etc/vega-lite.env"), not a path literal (./vega-lite.env).
        '';
      }
      {
        assertion = all isValidCacheName (attrNames caches);
        message = "services.vega-lite.caches: not valid cache names (a letter or digit, then up to 49 of letters, digits, - _ +): ${
          concatStringsSep ", " (filter (name: !isValidCacheName name) (attrNames caches))
        }";
      }
    ];
}
