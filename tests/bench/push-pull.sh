#!/usr/bin/env bash
# Benchmark (not a test): pushing one large store path, and downloading it back, on this machine in this run.
#
#   push:     the path's NAR through Attic's API (PUT /_api/v1/upload-path, NAR streamed from nix-store --dump,
#             default chunking and zstd level) against `nix copy --to file://DIR?compression=zstd` of the same path;
#             wall time for each, and vega-lite's peak RSS during the push.
#   floor:    what compression alone costs: `zstd -b` on the same NAR cut into 64 KiB blocks (chunks are 64 KiB on
#             average) at the server's level, one core, then spread over all cores. No push can beat that time, so
#             it bounds the push ratio this machine allows.
#   download: the chunked NAR as vega-lite serves it (chunks' zstd frames, one stream) against nginx serving the
#             very same bytes as one file with sendfile.
#
#   bash tests/bench/push-pull.sh [NAR_MIB=512] [RUNS=3]
#   VEGA_BENCH_TOML=$'[compression]\ntype = "zstd"\nlevel = 3' bash tests/bench/push-pull.sh   # other server settings
#   VEGA_BENCH_DIR=/dev/shm bash tests/bench/push-pull.sh   # storage, caches and the reference on another file system
#
# The path is built from files on this machine (libraries, .NET assemblies, text), so it compresses the way real
# store paths do. Needs nix-bin, nginx, curl, zstd (apt: nix-bin nginx-light curl zstd). 127.0.0.1 only. Run as root (Nix's store).
set -euo pipefail
cd "$(dirname "$0")/../.."
nar_mib=${1:-512}
runs=${2:-3}
# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)
work=$(mktemp -d "${VEGA_BENCH_DIR:-/tmp}"/vega-bench-push.XXXXXX)
vega_port=18481; nginx_port=18482
# shellcheck source-path=SCRIPTDIR source=lib.sh
source tests/bench/lib.sh
cleanup() { vega_stop; nginx_stop; rm -rf "$work"; }
trap cleanup EXIT
export NIX_CONFIG=$nix_offline_config

echo "== a ${nar_mib} MiB store path from files on this machine"
mkdir -p "$work/payload"
# Regular files only, deterministic order, up to the size asked for; a run-specific file makes the path new.
find /usr/lib /usr/share /opt -xdev -type f -size +4k -size -64M -readable -printf '%s\t%p\n' 2>/dev/null | \
  sort -t$'\t' -k2 | awk -F'\t' -v limit=$((nar_mib * 1048576)) 'total + $1 <= limit { total += $1; print $2 }' > "$work/files"
tar -cf - -T "$work/files" 2>/dev/null | tar -xf - -C "$work/payload"
head -c 64 /dev/urandom | base64 > "$work/payload/nonce"
path=$(nix-store --add "$work/payload")
rm -rf "$work/payload"
nar_size=$(nix-store -q --size "$path")
echo "$path: NAR $(mib "$nar_size") MiB, $(wc -l < "$work/files") files"
nix-store --dump "$path" > /dev/null   # both contenders start with the path in the page cache

push_best=""; push_cpu=""; push_peak=0; nix_best=""; nix_bytes=0
for run in $(seq "$runs"); do
  echo "== run $run: nix copy --to file://…?compression=zstd"
  rm -rf "$work/file-cache"
  start=$(ms_now)
  nix copy --to "file://$work/file-cache?compression=zstd" "$path"
  elapsed=$(( $(ms_now) - start ))
  nix_bytes=$(bytes_under "$work/file-cache/nar")
  echo "   ${elapsed} ms"
  { [ -z "$nix_best" ] || [ "$elapsed" -lt "$nix_best" ]; } && nix_best=$elapsed

  echo "== run $run: attic-style push to vega-lite (fresh server and storage)"
  vega_stop; rm -rf "$work/vega"
  vega_write_config "$work/vega" "$vega_port" "${VEGA_BENCH_TOML:-}"
  vega_start "$work/vega" "$vega_port"
  token=$(vega_token "$work/vega")
  vega_create_cache "$vega_port" "$token" bench
  sync; reset_peak_rss "$vega_pid"
  cpu_before=$(cpu_ms "$vega_pid")
  start=$(ms_now)
  response=$(attic_push "$vega_port" "$token" bench "$path")
  elapsed=$(( $(ms_now) - start ))
  cpu=$(( $(cpu_ms "$vega_pid") - cpu_before ))
  peak=$(peak_rss_kib "$vega_pid")
  echo "   ${elapsed} ms, server CPU ${cpu} ms, peak RSS $((peak / 1024)) MiB: $response"
  { [ -z "$push_best" ] || [ "$elapsed" -lt "$push_best" ]; } && push_best=$elapsed && push_cpu=$cpu
  [ "$peak" -gt "$push_peak" ] && push_peak=$peak
done
vega_bytes=$(bytes_under "$work/vega/storage")

level=$(printf '%s\n' "${VEGA_BENCH_TOML:-}" | sed -n 's/^ *level *= *\([0-9-]*\).*/\1/p' | tail -1)
level=${level:-8}   # Attic's default zstd level
echo "== floor: zstd level $level alone on the NAR in 64 KiB blocks"
nix-store --dump "$path" > "$work/nar"
zstd_mbps=$(zstd -b"$level" -B64KiB -i3 -T1 "$work/nar" 2>&1 | tr '\r' '\n' | grep -- '->' | tail -1 | \
  awk '{for (i = 1; i <= NF; i++) if ($(i+1) ~ /^MB\/s/) { print $i; exit }}')
rm -f "$work/nar"
# A zstd whose -b output this does not parse leaves no floor, not a failed run after all the pushes.
floor_ms=$(echo "$nar_size ${zstd_mbps:-0} $(nproc)" | awk '{ if ($2 > 0) printf "%.0f", $1/1e6/$2/$3*1000; else print "n/a" }')
echo "   ${zstd_mbps} MB/s on one core"

echo "== download: the chunked NAR from vega-lite, and the same bytes from nginx"
hash=$(basename "$path" | cut -c1-32)
mkdir -p "$work/www"
curl -sf -o "$work/www/whole.nar.zst" "http://127.0.0.1:$vega_port/bench/nar/$hash.nar"
# The served stream must be the NAR, or the comparison means nothing.
cmp <(zstd -dcf "$work/www/whole.nar.zst") <(nix-store --dump "$path") || { echo "served NAR differs from the path" >&2; exit 1; }
nginx_serve "$work/www" "$nginx_port"
vega_dl=$(best_mibps "http://127.0.0.1:$vega_port/bench/nar/$hash.nar")
nginx_dl=$(best_mibps "http://127.0.0.1:$nginx_port/whole.nar.zst")
served=$(stat -c %s "$work/www/whole.nar.zst")
vega_rss_after=$(rss_kib "$vega_pid")

push_mibps=$(echo "$nar_size $push_best" | awk '{printf "%.0f", $1/1048576/($2/1000)}')
nix_mibps=$(echo "$nar_size $nix_best" | awk '{printf "%.0f", $1/1048576/($2/1000)}')
printf '\nNAR %s MiB; best of %s runs; %s cores\n' "$(mib "$nar_size")" "$runs" "$(nproc)"
printf '%-44s %12s %12s %8s\n' "measure" "vega-lite" "reference" "ratio"
printf '%-44s %12s %12s %8s\n' "push wall time (ms; ref: nix copy file://)" "$push_best" "$nix_best" "$(ratio "$nix_best" "$push_best")"
printf '%-44s %12s %12s\n' "push throughput (MiB/s of NAR)" "$push_mibps" "$nix_mibps"
printf '%-44s %12s %12s %8s\n' "stored bytes (MiB; ref: .nar.zst)" "$(mib "$vega_bytes")" "$(mib "$nix_bytes")" "$(ratio "$vega_bytes" "$nix_bytes")"
printf '%-44s %12s\n' "server CPU time in the best push (ms)" "$push_cpu"
printf '%-44s %12s %12s %8s\n' "floor: zstd $level alone on $(nproc) cores (ms)" "$floor_ms" "$nix_best" "$(ratio "$nix_best" "$floor_ms")"
printf '%-44s %12s\n' "vega-lite peak RSS during a push (MiB)" "$((push_peak / 1024))"
printf '%-44s %12s %12s %8s\n' "download, 1 stream (MiB/s; ref: nginx)" "$vega_dl" "$nginx_dl" "$(ratio "$vega_dl" "$nginx_dl")"
printf '%-44s %12s\n' "served stream (MiB of zstd frames)" "$(mib "$served")"
printf '%-44s %12s\n' "vega-lite RSS after the downloads (MiB)" "$((vega_rss_after / 1024))"
echo "(push ratio = nix copy time / push time: above 1 means vega-lite is faster; the floor's ratio is the best any"
echo " push compressing at level $level could reach on this machine)"
