#!/usr/bin/env bash
# Installs what the tests need from Debian's packages, when missing: real Nix (nix-bin), the native libraries the
# binary calls (libsodium, libzstd, liblzma), the xz/zstd CLIs for interoperability tests, nginx and wrk for the
# benchmark. Idempotent; a no-op when everything is present.
set -euo pipefail
needed=()
command -v nix-store >/dev/null || needed+=(nix-bin)
command -v xz >/dev/null || needed+=(xz-utils)
command -v zstd >/dev/null || needed+=(zstd)
command -v nginx >/dev/null || needed+=(nginx-light)
command -v wrk >/dev/null || needed+=(wrk)
command -v curl >/dev/null || needed+=(curl)
for lib in libsodium.so.23:libsodium23 libzstd.so.1:libzstd1 liblzma.so.5:liblzma5; do
  ldconfig -p | grep -q "${lib%%:*}" || needed+=("${lib##*:}")
done
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
echo "installing: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
