#!/usr/bin/env bash
# The whole test suite: build with warnings as errors, publish the Native AOT binary, then run the unit,
# in-process HTTP and end-to-end tests (the e2e ones drive the published binary with real Nix).
# Prints one closing line "N passed, N failed" and exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

echo "== prerequisites (Debian packages and s3rver, installed when missing)"
bash scripts/install-test-deps.sh
export S3RVER_BIN="$root/.deps/s3rver/node_modules/.bin/s3rver"   # the S3 storage tests fail without it

echo "== build (warnings are errors)"
dotnet build Vega.Lite.sln -c Release -f net10.0 --nologo -v quiet

echo "== publish the Native AOT binary"
bash scripts/publish.sh "$root/artifacts/bin"
export VEGA_LITE_BIN="$root/artifacts/bin/vega-lite"

status=0
for project in tests/Vega.Lite.Core.Tests tests/Vega.Lite.Tests tests/e2e; do
  name=$(basename "$project")
  echo "== test $project"
  dotnet test "$project" -c Release --no-build --nologo -v quiet \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1   # a project that did not run at all still fails the suite
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
