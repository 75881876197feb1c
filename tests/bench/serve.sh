#!/usr/bin/env bash
# Benchmark (not a test): the same cache served by nginx (static files, sendfile) and by vega-lite, on this machine,
# in this run. Prints narinfo hit/miss requests/s (wrk), single-stream NAR MB/s (curl), time from exec to the first
# HTTP 200, and idle RSS, each with the vega-lite / nginx ratio.
#
#   bash tests/bench/serve.sh [NAR_MIB=256] [WRK_SECONDS=10]
#
# Needs: nginx, wrk, curl, nix-store and nix-hash (apt: nginx-light wrk curl nix-bin). Uses 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
nar_mib=${1:-256}
seconds=${2:-10}
# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)
work=$(mktemp -d /tmp/vega-bench.XXXXXX)
vega_port=18471; nginx_port=18472
# shellcheck source-path=SCRIPTDIR source=lib.sh
source tests/bench/lib.sh
cleanup() { vega_stop; nginx_stop; rm -rf "$work"; }
trap cleanup EXIT
# Best (maximum) of the wrk runs' Requests/sec.
wrk_rps() { wrk -t2 -c32 -d"${seconds}s" --latency "$1" | awk '/Requests\/sec/ {print $2}'; }
vega_write_config "$work" "$vega_port" "${VEGA_BENCH_TOML:-}"   # VEGA_BENCH_TOML: server settings to add

echo "== start vega-lite: time from exec to the first 200"
start=$(ms_now)
vega_start "$work" "$vega_port"
vega_start_ms=$(( $(ms_now) - start ))
vega_idle_rss=$(rss_kib "$vega_pid")

token=$(vega_token "$work")
vega_create_cache "$vega_port" "$token" bench

echo "== upload a ${nar_mib} MiB path (random payload) the way nix copy does"
mkdir -p "$work/path"
head -c $((nar_mib * 1024 * 1024)) /dev/urandom > "$work/path/payload"
echo small > "$work/path/readme"
nix-store --dump "$work/path" > "$work/path.nar"
nar_hash=$(nix-hash --type sha256 --flat --base32 "$work/path.nar")
nar_size=$(stat -c %s "$work/path.nar")
file_hash=$nar_hash   # compression=none: the file is the NAR
store_hash=$(head -c 20 /dev/urandom | nix-hash --type sha1 --flat --base32 /dev/stdin | cut -c1-32)
auth=(-H "Authorization: bearer $token")
curl -sf "${auth[@]}" -T "$work/path.nar" "http://127.0.0.1:$vega_port/bench/nar/$file_hash.nar"
printf 'StorePath: /nix/store/%s-bench\nURL: nar/%s.nar\nCompression: none\nNarHash: sha256:%s\nNarSize: %s\nReferences: \n' \
  "$store_hash" "$file_hash" "$nar_hash" "$nar_size" > "$work/upload.narinfo"
curl -sf "${auth[@]}" -T "$work/upload.narinfo" "http://127.0.0.1:$vega_port/bench/$store_hash.narinfo"

echo "== the same files for nginx"
mkdir -p "$work/www/bench/nar"
curl -sf "http://127.0.0.1:$vega_port/bench/nix-cache-info" > "$work/www/bench/nix-cache-info"
curl -sf "http://127.0.0.1:$vega_port/bench/$store_hash.narinfo" > "$work/www/bench/$store_hash.narinfo"
curl -sf "http://127.0.0.1:$vega_port/bench/nar/$store_hash.nar" > "$work/www/bench/nar/$store_hash.nar"
start=$(ms_now)
nginx_serve "$work/www" "$nginx_port"
nginx_start=$(( $(ms_now) - start ))
nginx_rss=$(ps -o rss= --ppid "$(cat "$work/nginx/nginx.pid")" | awk '{s+=$1} END {print s}')
nginx_rss=$(( nginx_rss + $(rss_kib "$(cat "$work/nginx/nginx.pid")") ))

# Both must serve the same bytes, or the comparison means nothing.
for f in "bench/$store_hash.narinfo" "bench/nar/$store_hash.nar"; do
  cmp <(curl -sf "http://127.0.0.1:$nginx_port/$f") <(curl -sf "http://127.0.0.1:$vega_port/$f") || { echo "nginx and vega-lite differ on $f" >&2; exit 1; }
done

missing=$(head -c 20 /dev/urandom | nix-hash --type sha1 --flat --base32 /dev/stdin | cut -c1-32)
echo "== narinfo hit (wrk -t2 -c32 -d${seconds}s)"
nginx_hit=$(wrk_rps "http://127.0.0.1:$nginx_port/bench/$store_hash.narinfo")
vega_hit=$(wrk_rps "http://127.0.0.1:$vega_port/bench/$store_hash.narinfo")
echo "== narinfo miss"
nginx_miss=$(wrk_rps "http://127.0.0.1:$nginx_port/bench/$missing.narinfo")
vega_miss=$(wrk_rps "http://127.0.0.1:$vega_port/bench/$missing.narinfo")
echo "== single-stream NAR download (best of 3)"
nginx_nar=$(best_mibps "http://127.0.0.1:$nginx_port/bench/nar/$store_hash.nar")
vega_nar=$(best_mibps "http://127.0.0.1:$vega_port/bench/nar/$store_hash.nar")
vega_rss_after=$(rss_kib "$vega_pid")

echo "== restart vega-lite on its existing data: time from exec to the first 200"
vega_stop
start=$(ms_now)
vega_start "$work" "$vega_port"
vega_restart=$(( $(ms_now) - start ))

printf '\n%-34s %12s %12s %8s\n' "measure" "vega-lite" "nginx" "ratio"
printf '%-34s %12s %12s %8s\n' "narinfo hit (req/s)" "$vega_hit" "$nginx_hit" "$(ratio "$vega_hit" "$nginx_hit")"
printf '%-34s %12s %12s %8s\n' "narinfo miss (req/s)" "$vega_miss" "$nginx_miss" "$(ratio "$vega_miss" "$nginx_miss")"
printf '%-34s %12s %12s %8s\n' "NAR ${nar_mib} MiB, 1 stream (MiB/s)" "$vega_nar" "$nginx_nar" "$(ratio "$vega_nar" "$nginx_nar")"
printf '%-34s %12s %12s %8s\n' "exec to first 200, fresh (ms)" "$vega_start_ms" "$nginx_start" "$(ratio "$vega_start_ms" "$nginx_start")"
printf '%-34s %12s\n' "exec to first 200, restart (ms)" "$vega_restart"
printf '%-34s %12s %12s %8s\n' "idle RSS after start (MiB)" "$((vega_idle_rss / 1024))" "$((nginx_rss / 1024))" "$(ratio "$vega_idle_rss" "$nginx_rss")"
printf '%-34s %12s\n' "vega-lite RSS after the load (MiB)" "$((vega_rss_after / 1024))"
