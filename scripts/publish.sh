#!/usr/bin/env bash
# Publishes the single Native AOT executable `vega-lite` into the directory given (default: artifacts/bin).
# Native AOT needs net9.0 on these machines (see README); warnings (trim/AOT included) are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/bin}
# A C toolchain and the static archives the binary links in (apt, when missing): a fresh machine has neither.
bash scripts/install-test-deps.sh --build-only
# Publishes made before SQLite was linked in left libe_sqlite3.so here, and `dotnet publish` keeps stale files.
rm -f "$out/libe_sqlite3.so"
dotnet publish src/Vega.Lite/Vega.Lite.csproj -f net9.0 -r linux-x64 -c Release --nologo -v quiet -o "$out"
ls -l "$out/vega-lite"
