#!/usr/bin/env bash
# Installs what the tests need, when missing: from Debian's packages real Nix (nix-bin), the native libraries the
# binary calls (libsodium, libzstd, liblzma) and the static archives the AOT publish links in (their -dev packages and
# libsqlite3-dev), the xz/zstd CLIs for interoperability tests, openssl and ss for check-static-binary.sh, nginx for
# the nginx end-to-end test and the benchmark, wrk for the benchmark, node and npm, shellcheck for scripts/lint.sh
# and the Nix tests (tests/nix), which also need jq, strace and systemd-analyze; PostgreSQL 15 (postgresql-15 and
# postgresql-client-15) for the PostgreSQL tests; chromium and chromium-driver for the status page's browser test;
# podman, runc (its OCI runtime there), containernetworking-plugins and iptables (for -p) and debootstrap (the local
# base images) for docker/podman-test.sh;
# from npm s3rver (an S3 server for the S3 storage tests) and dockerlinter (scripts/lint.sh's Dockerfile linter) into
# the git-ignored .deps/.
# Idempotent; a no-op when everything is present.
#
#   bash scripts/install-test-deps.sh                everything above
#   bash scripts/install-test-deps.sh --build-only   only what the AOT publish needs: a C toolchain (clang, or gcc,
#                                                    which the ILCompiler falls back to) and the -dev archives
#                                                    (docker/build-binary.sh, the Docker image's build stage)
set -euo pipefail
cd "$(dirname "$0")/.."
s3rver_version=3.7.1
s3rver_dir=.deps/s3rver
dockerlinter_version=2.0.0
dockerlinter_dir=.deps/dockerlinter
build_only=false
[ "${1:-}" = --build-only ] && build_only=true
needed=()
command -v clang >/dev/null || command -v gcc >/dev/null || needed+=(gcc)
# The archives src/Vega.Lite/StaticNativeLibraries.targets links into the Native AOT binary.
for archive in libsodium.a:libsodium-dev libzstd.a:libzstd-dev liblzma.a:liblzma-dev libsqlite3.a:libsqlite3-dev; do
  [ -e "/usr/lib/x86_64-linux-gnu/${archive%%:*}" ] || needed+=("${archive##*:}")
done
if ! $build_only; then
command -v nix-store >/dev/null || needed+=(nix-bin)
command -v xz >/dev/null || needed+=(xz-utils)
command -v zstd >/dev/null || needed+=(zstd)
command -v nginx >/dev/null || needed+=(nginx-light)
command -v wrk >/dev/null || needed+=(wrk)
command -v curl >/dev/null || needed+=(curl)
command -v openssl >/dev/null || needed+=(openssl)
command -v ss >/dev/null || needed+=(iproute2)
command -v jq >/dev/null || needed+=(jq)
command -v strace >/dev/null || needed+=(strace)
command -v systemd-analyze >/dev/null || needed+=(systemd)
command -v node >/dev/null || needed+=(nodejs)
command -v npm >/dev/null || needed+=(npm)
command -v shellcheck >/dev/null || needed+=(shellcheck)
[ -x /usr/bin/python3 ] || needed+=(python3)     # tests/nix/hardening.sh's MDWE launcher, as the unprivileged user
command -v ps >/dev/null || needed+=(procps)     # hardening.sh finds the server under strace; serve.sh reads nginx's RSS
command -v setpriv >/dev/null || needed+=(util-linux)
# The status page's browser test (tests/e2e/StatusPageBrowserTests.cs) drives Debian's Chromium through its driver.
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ -x /usr/bin/chromedriver ] || needed+=(chromium-driver)
# A throwaway PostgreSQL 15 for the PostgreSQL tests (tests/Vega.Lite.Tests/Support/PostgresServer.cs), which run
# initdb and postgres from Debian's versioned directory as the postgres user (the server package creates that user).
[ -x /usr/lib/postgresql/15/bin/postgres ] || needed+=(postgresql-15)
[ -x /usr/lib/postgresql/15/bin/psql ] || needed+=(postgresql-client-15)
# docker/podman-test.sh: rootful podman with runc (crun 1.8 refuses a hybrid cgroup host), CNI's bridge and portmap
# plugins and iptables for its published port, and debootstrap for the base images (there is no registry).
command -v podman >/dev/null || needed+=(podman)
command -v runc >/dev/null || needed+=(runc)
[ -x /usr/lib/cni/portmap ] || needed+=(containernetworking-plugins)
command -v iptables >/dev/null || needed+=(iptables)
command -v debootstrap >/dev/null || needed+=(debootstrap)
for lib in libsodium.so.23:libsodium23 libzstd.so.1:libzstd1 liblzma.so.5:liblzma5; do
  # grep reads to the end (not -q): an early exit would SIGPIPE ldconfig and, under pipefail, look like a miss.
  ldconfig -p | grep "${lib%%:*}" >/dev/null || needed+=("${lib##*:}")
done
fi
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "installing: ${needed[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
$build_only && exit 0

installed=$(node -p "require('./$s3rver_dir/node_modules/s3rver/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$s3rver_version" ]; then
  echo "installing: s3rver $s3rver_version (npm) into $s3rver_dir"
  npm install --prefix "$s3rver_dir" --no-audit --no-fund --loglevel=error "s3rver@$s3rver_version" >/dev/null
fi

installed=$(node -p "require('./$dockerlinter_dir/node_modules/dockerlinter/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$dockerlinter_version" ]; then
  echo "installing: dockerlinter $dockerlinter_version (npm) into $dockerlinter_dir"
  # --ignore-scripts: its postinstall downloads a shellcheck binary from GitHub, which is not reachable here; without
  # that it runs the shellcheck on PATH (Debian's, above). It declares node >= 22.12 but runs on Debian's node 20.
  npm install --prefix "$dockerlinter_dir" --no-audit --no-fund --loglevel=error --ignore-scripts \
    "dockerlinter@$dockerlinter_version" >/dev/null
fi
