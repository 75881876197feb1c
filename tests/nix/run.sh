#!/usr/bin/env bash
# The Nix tests: every .nix file parses, the NixOS module's evaluation test (eval-module.sh), the flake's container
# image against docker/Dockerfile (image.sh), and the binary under the unit's system call filter and
# memory-deny-write-execute (hardening.sh). Exits non-zero when any fails.
# Needs Debian's nix-bin, jq, curl, openssl, shellcheck, strace, systemd-analyze, setpriv and /usr/bin/python3.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
status=0
echo "-- parse every .nix file"
bash parse-all.sh || status=1
echo "-- evaluate the NixOS module"
bash eval-module.sh || status=1
echo "-- the flake's dockerTools image against docker/Dockerfile"
bash image.sh || status=1
echo "-- the binary under the unit's hardening"
bash hardening.sh || status=1
[ "$status" -eq 0 ] && echo "nix tests: all passed" || echo "nix tests: FAILED"
exit $status
