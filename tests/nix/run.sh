#!/usr/bin/env bash
# The Nix tests: every .nix file parses, and the NixOS module's evaluation test (eval-module.sh). Exits non-zero
# when either fails. Needs nix-instantiate/nix-build (Debian's nix-bin), jq, curl, openssl and shellcheck.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
status=0
echo "-- parse every .nix file"
bash parse-all.sh || status=1
echo "-- evaluate the NixOS module"
bash eval-module.sh || status=1
[ "$status" -eq 0 ] && echo "nix tests: all passed" || echo "nix tests: FAILED"
exit $status
