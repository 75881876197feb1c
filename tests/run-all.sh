#!/usr/bin/env bash
# The whole test suite: lint the shell scripts and the Dockerfile, build with warnings as errors, publish the Native
# AOT binary and check that it is one static file, check the Docker image's build step and runtime contract without an
# engine, build and run the image with podman, check the NixOS module and the Nix files (tests/nix), then run the unit,
# in-process HTTP and end-to-end tests (the e2e ones drive the published binary with real Nix), on SQLite and again on
# PostgreSQL.
# Prints one closing line "N passed, N failed, N skipped" and exits non-zero if anything failed or was skipped (the
# prerequisites are installed first, so a skip means a broken environment, not an optional part); the lint, the Docker
# and the Nix checks count as one test each there. A failing lint does not stop the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

echo "== prerequisites (Debian packages and s3rver, installed when missing)"
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed on PATH (README, Building)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "the suite runs as root: single-user Nix, the static check's chroot, unprivileged runs" >&2; exit 1; }
bash scripts/install-test-deps.sh
export S3RVER_BIN="$root/.deps/s3rver/node_modules/.bin/s3rver"   # the S3 storage tests fail without it

status=0
checks_passed=0; checks_failed=0; checks_skipped=0
# A check done by a script: exit 0 passed, 77 skipped, anything else failed (and fails the suite).
check() {
  local name=$1 rc=0
  shift
  "$@" || rc=$?
  case $rc in
    0) checks_passed=$((checks_passed + 1)); echo "-- $name: passed" ;;
    77) checks_skipped=$((checks_skipped + 1)); echo "-- $name: skipped" ;;
    *) checks_failed=$((checks_failed + 1)); status=1; echo "-- $name: FAILED (exit $rc)" ;;
  esac
}

echo "== lint (shellcheck on the shell scripts, dockerlinter on docker/Dockerfile)"
check lint bash scripts/lint.sh

echo "== build (warnings are errors)"
dotnet build Vega.Lite.sln -c Release -f net10.0 --nologo -v quiet

# One publish serves both: the binary under test is exactly what the Docker image's build step produces.
echo "== publish the Native AOT binary with the Docker image's build step (docker/build-binary.sh)"
rm -f "$root/artifacts/bin/vega-lite"   # a failed publish must not leave the previous binary to be tested
check docker/build-binary.sh bash docker/build-binary.sh "$root/artifacts/bin"
echo "== the binary is one static file (scripts/check-static-binary.sh)"
check check-static-binary.sh bash scripts/check-static-binary.sh "$root/artifacts/bin/vega-lite"
export VEGA_LITE_BIN="$root/artifacts/bin/vega-lite"
export VEGA_LITE_SCREENSHOTS="$root/artifacts/screenshots"   # the status page's, from tests/e2e/StatusPageBrowserTests.cs

echo "== docker: the image's runtime contract (docker/smoke.sh), no engine"
check docker/smoke.sh bash docker/smoke.sh "$root/artifacts/bin"
echo "== docker: docker/Dockerfile built and run with podman on local bases (docker/podman-test.sh)"
check docker/podman-test.sh bash docker/podman-test.sh

echo "== nix module (every .nix file parses; the NixOS module evaluated, built and run: tests/nix)"
check tests/nix bash tests/nix/run.sh

# The classes that need PostgreSQL whatever is selected (replicas) carry Trait Database=postgres and run in the second pass.
for project in tests/Vega.Lite.Core.Tests tests/Vega.Lite.Tests tests/e2e; do
  name=$(basename "$project")
  echo "== test $project"
  dotnet test "$project" -c Release --no-build --nologo -v quiet --filter "Database!=postgres" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# The same suites with the server's metadata on PostgreSQL (a real PostgreSQL 15 the tests start on 127.0.0.1), as
# Attic's integration test runs on both; the e2e classes that read the SQLite file itself carry Trait Database=sqlite.
for project in tests/Vega.Lite.Tests tests/e2e; do
  name=$(basename "$project")-postgres
  echo "== test $project on PostgreSQL"
  VEGA_LITE_TEST_DATABASE=postgres dotnet test "$project" -c Release --no-build --nologo -v quiet --filter "Database!=sqlite" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

passed=$checks_passed; failed=$checks_failed; skipped=$checks_skipped
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1   # a project that did not run at all still fails the suite
[ "$skipped" -eq 0 ] || { status=1; echo "$skipped test(s) skipped: a prerequisite is missing (see the test output)"; }
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
