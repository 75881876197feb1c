# Attic's module's hardening, copied from its nixos/atticd.nix (docs/attic-api.md §9): the
# reference eval-module.nix compares the unit with, and the stand-in for Attic's unit in scenarios.nix.
{
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
  RestrictAddressFamilies = [
    "AF_INET"
    "AF_INET6"
    "AF_UNIX"
  ];
  RestrictNamespaces = true;
  RestrictRealtime = true;
  RestrictSUIDSGID = true;
  SystemCallArchitectures = "native";
  SystemCallFilter = [
    "@system-service"
    "~@resources"
    "~@privileged"
  ];
  UMask = "0077";
}
