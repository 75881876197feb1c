#!/usr/bin/env bash
# Benchmark (not a test): storage used by two adjacent versions of one closure, against the sum of their NARs.
#
# The closure is real software: npm packages (default eslint + typescript, two neighbouring releases of each), built
# by real Nix into one store path per package whose dependencies are store-path references (tests/bench/closure.nix),
# so a changed dependency changes its dependents' paths and NARs, as a rebuild does. Version A is pushed attic-style
# through upload-path, then the paths of version B that A does not have (what `attic push` sends after
# get-missing-paths). Reported: the bytes vega-lite stores (blob files, default chunking and zstd level) against the
# sum of the NARs of all distinct paths of both versions, and against `nix copy --to file://…?compression=zstd` of both.
#
#   bash tests/bench/storage.sh ["A packages"] ["B packages"]
#
# Needs nix-bin, node and npm (with the npm registry reachable), curl. 127.0.0.1 only. Run as root (Nix's store).
set -euo pipefail
cd "$(dirname "$0")/../.."
version_a=${1:-eslint@9.13.0 typescript@5.6.2}
version_b=${2:-eslint@9.14.0 typescript@5.6.3}
# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)
work=$(mktemp -d "${VEGA_BENCH_DIR:-/tmp}"/vega-bench-storage.XXXXXX)
vega_port=18491
# shellcheck source-path=SCRIPTDIR source=lib.sh
source tests/bench/lib.sh
cleanup() { vega_stop; rm -rf "$work"; }
trap cleanup EXIT
export NIX_CONFIG=$nix_offline_config

closure_of() { # closure_of NAME "PACKAGES": installs them with npm, builds them with Nix, prints the closure's paths
  mkdir -p "$work/$1"
  # shellcheck disable=SC2086 # the package list is meant to split into words
  (cd "$work/$1" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts $2 >/dev/null)
  node tests/bench/npm-packages.js "$work/$1" > "$work/$1.json"
  nix-store -qR "$(nix-build tests/bench/closure.nix --arg packages "$work/$1.json" --no-out-link 2>/dev/null)"
}
echo "== version A: $version_a"
closure_of a "$version_a" | sort > "$work/a.paths"
echo "== version B: $version_b"
closure_of b "$version_b" | sort > "$work/b.paths"
sort -u "$work/a.paths" "$work/b.paths" > "$work/all.paths"
comm -13 "$work/a.paths" "$work/b.paths" > "$work/b-only.paths"
nar_sum=0
while read -r p; do nar_sum=$((nar_sum + $(nix-store -q --size "$p"))); done < "$work/all.paths"

echo "== push A, then what B adds, to vega-lite"
vega_write_config "$work/vega" "$vega_port" "${VEGA_BENCH_TOML:-}"
vega_start "$work/vega" "$vega_port"
token=$(vega_token "$work/vega")
vega_create_cache "$vega_port" "$token" bench
while read -r p; do attic_push "$vega_port" "$token" bench "$p" > /dev/null; done < "$work/a.paths"
a_bytes=$(bytes_under "$work/vega/storage")
while read -r p; do attic_push "$vega_port" "$token" bench "$p" > /dev/null; done < "$work/b-only.paths"
vega_bytes=$(bytes_under "$work/vega/storage")

echo "== the same two versions with nix copy --to file://…?compression=zstd"
xargs nix copy --to "file://$work/file-cache?compression=zstd" < "$work/a.paths"
xargs nix copy --to "file://$work/file-cache?compression=zstd" < "$work/b-only.paths"
nix_bytes=$(bytes_under "$work/file-cache/nar")

b_nar=0
while read -r p; do b_nar=$((b_nar + $(nix-store -q --size "$p"))); done < "$work/b-only.paths"
printf '\nA: %s paths; B: %s paths, %s of them not in A (%s MiB of NAR)\n' \
  "$(wc -l < "$work/a.paths")" "$(wc -l < "$work/b.paths")" "$(wc -l < "$work/b-only.paths")" "$(mib "$b_nar")"
printf '%-52s %10s %8s\n' "measure" "MiB" "ratio"
printf '%-52s %10s %8s\n' "sum of the NARs of both versions (distinct paths)" "$(mib "$nar_sum")" "1.00"
printf '%-52s %10s %8s\n' "nix copy file:// zstd, both versions" "$(mib "$nix_bytes")" "$(ratio "$nix_bytes" "$nar_sum")"
printf '%-52s %10s %8s\n' "vega-lite blobs, both versions" "$(mib "$vega_bytes")" "$(ratio "$vega_bytes" "$nar_sum")"
printf '%-52s %10s %8s\n' "vega-lite blobs added by B (vs B's new NARs)" "$(mib "$((vega_bytes - a_bytes))")" "$(ratio "$((vega_bytes - a_bytes))" "$b_nar")"
printf '%-52s %10s %8s\n' "vega-lite vs nix copy file:// zstd" "" "$(ratio "$vega_bytes" "$nix_bytes")"
