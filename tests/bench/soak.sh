#!/usr/bin/env bash
# Soak (not a test): the published binary under a mixed load for SECONDS (default 600), with /metrics scraped every
# 5 s (issue 19). The load, all at once: wrk on narinfo hits (4 paths) and on narinfo misses, a loop of NAR downloads
# with a Range header, an Attic upload-path push every 3 s. At the end it prints the load's own totals beside the
# server's request counters (http_server_request_duration_seconds_count by route and status), the errors, and the
# RSS after warm-up (the first WARMUP seconds, default 60), and exits non-zero when an error was seen, a counter
# disagrees with the load, or the RSS moved more than 10 %.
#
#   bash tests/bench/soak.sh [SECONDS=600] [WARMUP=60]
#
# wrk counts the responses it read: a request in flight when it stops may be answered and counted by the server, so
# each wrk's count may trail the server's by at most its connections; the curl loops' counts are exact.
# Needs: wrk, curl, nix-store, nix-hash (apt: wrk curl nix-bin). Uses 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
warmup=${2:-60}
# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)
work=$(mktemp -d /tmp/vega-soak.XXXXXX)
port=18491
# shellcheck source-path=SCRIPTDIR source=lib.sh
source tests/bench/lib.sh
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; vega_stop; rm -rf "$work"; }
trap cleanup EXIT
# SOAK_KEEP=DIR keeps the samples (seconds, RSS KiB, working set KiB, managed heap KiB) in DIR/rss.txt.

vega_write_config "$work" "$port"
vega_start "$work" "$port"
token=$(vega_token "$work")
vega_create_cache "$port" "$token" soak
base="http://127.0.0.1:$port"

random_hash() { head -c 20 /dev/urandom | nix-hash --type sha1 --flat --base32 /dev/stdin | cut -c1-32; }
# push N: one path of 256 KiB to 2 MiB (half random, half repeated: some chunks deduplicate) through upload-path.
push() {
  local dir="$work/push-$1" hash nar_hash nar_size info
  mkdir -p "$dir"
  head -c $(( (RANDOM % 8 + 1) * 128 * 1024 )) /dev/urandom > "$dir/random"
  head -c $(( 256 * 1024 )) /dev/zero | tr '\0' 'v' > "$dir/repeated"
  nix-store --dump "$dir" > "$dir.nar"
  nar_hash=$(nix-hash --type sha256 --flat --base32 "$dir.nar")
  nar_size=$(stat -c %s "$dir.nar")
  hash=$(random_hash)
  info=$(printf '{"cache":"soak","store_path_hash":"%s","store_path":"/nix/store/%s-soak-%s","references":[],"system":null,"deriver":null,"sigs":[],"ca":null,"nar_hash":"sha256:%s","nar_size":%s}' \
    "$hash" "$hash" "$1" "$nar_hash" "$nar_size")
  curl -sf -o /dev/null -T "$dir.nar" -H "Authorization: bearer $token" -H "X-Attic-Nar-Info: $info" "$base/_api/v1/upload-path"
  rm -rf "$dir" "$dir.nar"
  echo "$hash"
}

echo "== seed: 4 paths to serve"
hits=()
for i in 1 2 3 4; do hits+=("$(push "seed$i")"); done
cat > "$work/hits.lua" <<LUA
local paths = { "/soak/${hits[0]}.narinfo", "/soak/${hits[1]}.narinfo", "/soak/${hits[2]}.narinfo", "/soak/${hits[3]}.narinfo" }
local n = 0
request = function() n = n + 1; return wrk.format("GET", paths[(n % 4) + 1]) end
LUA
missing=$(random_hash)
scrape() { curl -sf --max-time 10 "$base/metrics"; }
# counter METHOD ROUTE STATUS: the server's count of METHOD requests on ROUTE answered STATUS, from a scrape on stdin.
counter() {
  awk -v method="http_request_method=\"$1\"" -v route="http_route=\"$2\"" -v status="http_response_status_code=\"$3\"" '
    /^http_server_request_duration_seconds_count/ && index($0, method) && index($0, route) && index($0, status) { s += $NF }
    END { print s + 0 }'
}
server_errors() { awk '/^http_server_request_duration_seconds_count/ && /http_response_status_code="5/ { s += $NF } END { print s + 0 }'; }

echo "== load for ${seconds}s (warm-up ${warmup}s), /metrics every 5 s"
wrk -t1 -c8 -d"${seconds}s" --latency -s "$work/hits.lua" "$base" > "$work/wrk-hits.txt" 2>&1 &
pids+=($!); wrk_hits_pid=$!
wrk -t1 -c4 -d"${seconds}s" --latency "$base/soak/$missing.narinfo" > "$work/wrk-miss.txt" 2>&1 &
pids+=($!); wrk_miss_pid=$!
end=$(( $(date +%s) + seconds ))
( n=0; bad=0
  while [ "$(date +%s)" -lt "$end" ]; do
    from=$(( RANDOM * 4 ))
    code=$(curl -s -o /dev/null -w '%{http_code}' -r "$from-$(( from + 65535 ))" "$base/soak/nar/${hits[$(( n % 4 ))]}.nar") || code=000
    n=$((n + 1)); [ "$code" = 206 ] || { bad=$((bad + 1)); echo "$code" >> "$work/range-codes.txt"; }
  done
  echo "$n $bad" > "$work/ranges.txt" ) &
pids+=($!); ranges_pid=$!
( n=0; bad=0
  while [ "$(date +%s)" -lt "$end" ]; do
    if push "p$n" > /dev/null; then :; else bad=$((bad + 1)); fi
    n=$((n + 1)); sleep "${SOAK_PUSH_INTERVAL:-3}"
  done
  echo "$n $bad" > "$work/pushes.txt" ) &
pids+=($!); pushes_pid=$!

started=$(date +%s); scrapes=0; scrape_errors=0
: > "$work/rss.txt"
while [ "$(date +%s)" -lt "$end" ]; do
  if scrape > "$work/last.prom"; then scrapes=$((scrapes + 1)); else scrape_errors=$((scrape_errors + 1)); fi
  echo "$(( $(date +%s) - started )) $(rss_kib "$vega_pid") $(awk '/^dotnet_process_memory_working_set_bytes/ {print int($NF / 1024)}' "$work/last.prom") $(awk '/^dotnet_gc_last_collection_heap_size_bytes/ {s += $NF} END {print int(s / 1024)}' "$work/last.prom")" >> "$work/rss.txt"
  sleep 5
done
wait "$wrk_hits_pid" "$wrk_miss_pid" "$ranges_pid" "$pushes_pid"
sleep 1
scrape > "$work/final.prom"

read -r ranges range_errors < "$work/ranges.txt"
[ ! -s "$work/range-codes.txt" ] || { echo "Range downloads not answered 206, by status:"; sort "$work/range-codes.txt" | uniq -c; }
read -r pushes push_errors < "$work/pushes.txt"
wrk_count() { awk '/requests in/ {print $1}' "$1"; }
wrk_socket_errors() { awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10; f=1} END {if (!f) print 0}' "$1"; }
wrk_non2xx() { awk '/Non-2xx or 3xx/ {print $NF; f=1} END {if (!f) print 0}' "$1"; }
hit_requests=$(wrk_count "$work/wrk-hits.txt"); miss_requests=$(wrk_count "$work/wrk-miss.txt")
server_hits=$(counter GET "/{cache}/{file}" 200 < "$work/final.prom")
server_misses=$(counter GET "/{cache}/{file}" 404 < "$work/final.prom")
server_ranges=$(counter GET "/{cache}/nar/{file}" 206 < "$work/final.prom")
server_pushes=$(counter PUT "/_api/v1/upload-path" 200 < "$work/final.prom")
server_scrapes=$(counter GET "/metrics" 200 < "$work/final.prom")
errors=$(server_errors < "$work/final.prom")
seed_pushes=4

status=0
# check LABEL COMMAND…: prints ok or FAIL for the command's exit status.
check() {
  local label=$1; shift
  if "$@"; then printf '  ok    %s\n' "$label"; else printf '  FAIL  %s\n' "$label"; status=1; fi
}
# within LOW VALUE SLACK: LOW <= VALUE <= LOW + SLACK (called through check).
# shellcheck disable=SC2317
within() { [ "$2" -ge "$1" ] && [ "$2" -le $(( $1 + $3 )) ]; }
echo "== load totals beside the server's counters"
printf '%-28s %12s %12s\n' "" load server
printf '%-28s %12s %12s\n' "narinfo hits (200)" "$hit_requests" "$server_hits"
printf '%-28s %12s %12s\n' "narinfo misses (404)" "$miss_requests" "$server_misses"
printf '%-28s %12s %12s\n' "NAR Range downloads (206)" "$ranges" "$server_ranges"
printf '%-28s %12s %12s\n' "pushes (200)" "$((pushes + seed_pushes))" "$server_pushes"
printf '%-28s %12s %12s\n' "scrapes (200)" "$scrapes" "$server_scrapes"
echo "== wrk"
grep -E "Requests/sec|Latency|99%" "$work/wrk-hits.txt" | sed 's/^/  hits: /'
grep -E "Requests/sec|Latency|99%" "$work/wrk-miss.txt" | sed 's/^/  misses: /'
echo "== RSS (KiB, from /proc and from dotnet_process_memory_working_set_bytes), every 5 s after warm-up"
awk -v w="$warmup" '$1 >= w' "$work/rss.txt" > "$work/rss-after.txt"
rss_first=$(awk 'NR == 1 {print $2}' "$work/rss-after.txt")
rss_min=$(awk 'NR == 1 || $2 < m {m = $2} END {print m}' "$work/rss-after.txt")
rss_max=$(awk '$2 > m {m = $2} END {print m}' "$work/rss-after.txt")
rss_last=$(awk 'END {print $2}' "$work/rss-after.txt")
echo "  after warm-up: first $rss_first, min $rss_min, max $rss_max, last $rss_last ($(wc -l < "$work/rss-after.txt") samples)"
awk 'NR % 12 == 1' "$work/rss.txt" | awk '{printf "  t=%4ss  rss %s KiB  working set %s KiB\n", $1, $2, $3}'
echo "== checks"
socket_errors=$(( $(wrk_socket_errors "$work/wrk-hits.txt") + $(wrk_socket_errors "$work/wrk-miss.txt") ))
check "no socket error in either wrk ($socket_errors)" [ "$socket_errors" = 0 ]
check "every narinfo hit answered 200" [ "$(wrk_non2xx "$work/wrk-hits.txt")" = 0 ]
check "every miss answered 404 (wrk counts them non-2xx)" [ "$(wrk_non2xx "$work/wrk-miss.txt")" = "$miss_requests" ]
check "every Range download answered 206 ($range_errors not)" [ "$range_errors" = 0 ]
check "every push stored ($push_errors not)" [ "$push_errors" = 0 ]
check "every scrape answered ($scrape_errors not)" [ "$scrape_errors" = 0 ]
check "no 5xx counted by the server ($errors)" [ "$errors" = 0 ]
check "server hits = wrk's, within its 8 connections" within "$hit_requests" "$server_hits" 8
check "server misses = wrk's, within its 4 connections" within "$miss_requests" "$server_misses" 4
check "server Range downloads = the loop's" [ "$server_ranges" = "$ranges" ]
check "server pushes = the loop's + the 4 seeds" [ "$server_pushes" = $((pushes + seed_pushes)) ]
check "server scrapes = the scrapes before the last" [ "$server_scrapes" = "$scrapes" ]
check "RSS after warm-up within 10 % (max/min $(ratio "$rss_max" "$rss_min"))" [ $((rss_max * 100)) -le $((rss_min * 110)) ]
[ -z "${SOAK_KEEP:-}" ] || cp "$work/rss.txt" "$SOAK_KEEP/rss.txt"
exit $status
