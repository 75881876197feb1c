#!/usr/bin/env bash
# Parses every tracked .nix file with nix-instantiate --parse: a syntax error anywhere fails.
# Parsing is all that is possible for most of them here (no nixpkgs); eval-module.sh evaluates the module.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! nix-instantiate --parse "$file" >/dev/null; then
    echo "FAIL parse: $file"
    status=1
  fi
done < <(git ls-files -z -- '*.nix')
if [ "$count" -eq 0 ]; then
  echo "FAIL parse: no tracked .nix files found"
  exit 1
fi
[ "$status" -eq 0 ] && echo "ok: $count .nix files parse"
exit $status
