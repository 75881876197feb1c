#!/usr/bin/env bash
# Benchmark (not a test): the metadata database at scale, SQLite against PostgreSQL 15 in the same run (issue 15).
# For each database: a cache in Attic's schema holding OBJECTS store paths (rows inserted with SQL, as an atticd
# database of that size would have them, all pointing at one real pushed NAR), then
#   - start-up: time from exec to the first HTTP 200 on that existing database (target <= 2 s);
#   - get-missing-paths of 10,000 hashes, half present, half absent (best of 5; target <= 50 ms);
#   - narinfo hits with wrk: one path (served from memory after the first) and random paths of the OBJECTS
#     (nearly every request a database lookup; target: PostgreSQL >= 0.8x SQLite).
# Prints each figure and the PostgreSQL / SQLite ratio.
#
#   bash tests/bench/database.sh [OBJECTS=1000000] [WRK_SECONDS=10]
#
# Needs: wrk, curl, nix-store and nix-hash, python3, PostgreSQL 15 (scripts/install-test-deps.sh); runs as root
# (initdb and postgres as the postgres user). Uses 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
objects=${1:-1000000}
seconds=${2:-10}
# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)
work=$(mktemp -d /tmp/vega-bench-db.XXXXXX)
vega_port=18481; pg_port=18482
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
# shellcheck source-path=SCRIPTDIR source=lib.sh
source tests/bench/lib.sh
pg_pid=""
cleanup() {
  vega_stop
  if [ -n "$pg_pid" ]; then kill -INT "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; fi
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

echo "== PostgreSQL 15 on 127.0.0.1:$pg_port"
chmod 755 "$work" && mkdir -p "$work/pg" && chown postgres:postgres "$work/pg"
setpriv --reuid=postgres --regid=postgres --init-groups "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
setpriv --reuid=postgres --regid=postgres --init-groups "$pg_bin/postgres" -D "$work/pg/data" \
  -c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories="$work/pg" >"$work/pg/log" 2>&1 &
pg_pid=$!
for _ in $(seq 1 300); do "$pg_bin/pg_isready" -q -h 127.0.0.1 -p $pg_port && break; sleep 0.1; done
"$pg_bin/pg_isready" -q -h 127.0.0.1 -p $pg_port || { echo "PostgreSQL did not start:" >&2; cat "$work/pg/log" >&2; exit 1; }
psql_do() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $pg_port -U postgres "$@"; }
psql_do -d postgres -c "CREATE DATABASE bench"

echo "== one real path, pushed as nix copy does"
mkdir -p "$work/path" && head -c 65536 /dev/urandom > "$work/path/payload"
nix-store --dump "$work/path" > "$work/path.nar"
nar_hash=$(nix-hash --type sha256 --flat --base32 "$work/path.nar")
nar_size=$(stat -c %s "$work/path.nar")
real_hash=00000000000000000000000000000000   # a valid store path hash no generated one takes (they start at 1)

# The generated store path hashes: i zero-padded to 32 digits (digits are in Nix's base-32 alphabet).
hash_of() { printf '%032d' "$1"; }

# prepare NAME URL: a server on URL with cache "bench", the real path pushed, then OBJECTS rows inserted with SQL.
prepare() {
  local name=$1 url=$2 dir="$work/$1"
  vega_write_config "$dir" "$vega_port"
  sed -i "s|^url = .*|url = \"$url\"|" "$dir/server.toml"
  vega_start "$dir" "$vega_port"
  local token; token=$(vega_token "$dir"); echo "$token" > "$dir/token"
  vega_create_cache "$vega_port" "$token" bench
  curl -sf -H "Authorization: bearer $token" -T "$work/path.nar" "http://127.0.0.1:$vega_port/bench/nar/$nar_hash.nar"
  printf 'StorePath: /nix/store/%s-bench\nURL: nar/%s.nar\nCompression: none\nNarHash: sha256:%s\nNarSize: %s\nReferences: \n' \
    "$real_hash" "$nar_hash" "$nar_hash" "$nar_size" \
    | curl -sf -H "Authorization: bearer $token" -T - "http://127.0.0.1:$vega_port/bench/$real_hash.narinfo"
  vega_stop
  local start; start=$(ms_now)
  local insert="INSERT INTO object (cache_id, nar_id, store_path_hash, store_path, \"references\", deriver, sigs, ca, created_at, created_by)
    SELECT o.cache_id, o.nar_id, %s, '/nix/store/' || %s || '-generated', '[]', NULL, '[]', NULL, o.created_at, 'bench'
    FROM object o, %s WHERE o.store_path_hash = '$real_hash'"
  if [ "$name" = sqlite ]; then
    # shellcheck disable=SC2059
    python3 - "$dir/server.db" "$(printf "$insert" "printf('%032d', n.i)" "printf('%032d', n.i)" \
      "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $objects) SELECT i FROM s) n")" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute(sys.argv[2]); db.commit(); db.close()
PY
  else
    # shellcheck disable=SC2059
    psql_do -d bench -c "$(printf "$insert" "lpad(n.i::text, 32, '0')" "lpad(n.i::text, 32, '0')" "generate_series(1, $objects) AS n(i)")" -c "ANALYZE"
  fi
  echo "$name: $objects objects inserted in $(( $(ms_now) - start )) ms"
}

# measure NAME: sets start_ms, missing_ms, hot_rps, cold_rps for the server on NAME's prepared directory.
measure() {
  local name=$1 dir="$work/$1" start token
  token=$(cat "$dir/token")
  start=$(ms_now)
  vega_start "$dir" "$vega_port"
  start_ms=$(( $(ms_now) - start ))
  python3 - "$objects" > "$work/missing.json" <<'PY'
import json, sys
n = int(sys.argv[1])
present = ["%032d" % (1 + (i * 7919) % n) for i in range(5000)]
absent = ["%032d" % (n + 1 + i) for i in range(5000)]
print(json.dumps({"cache": "bench", "store_path_hashes": present + absent}))
PY
  local best=999999 t answer
  for _ in 1 2 3 4 5; do
    t=$(curl -s -o "$work/missing.out" -w '%{time_total}' -H "Authorization: bearer $token" -H 'Content-Type: application/json' \
      --data-binary @"$work/missing.json" "http://127.0.0.1:$vega_port/_api/v1/get-missing-paths" | awk '{printf "%d", $1 * 1000}')
    [ "$t" -lt "$best" ] && best=$t
  done
  answer=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["missing_paths"]))' "$work/missing.out")
  [ "$answer" = 5000 ] || { echo "get-missing-paths answered $answer missing paths, not 5000" >&2; exit 1; }
  missing_ms=$best
  curl -sf -o /dev/null "http://127.0.0.1:$vega_port/bench/$real_hash.narinfo"
  hot_rps=$(wrk -t2 -c64 -d"${seconds}s" "http://127.0.0.1:$vega_port/bench/$real_hash.narinfo" | awk '/Requests\/sec/ {print $2}')
  cat > "$work/random.lua" <<LUA
math.randomseed(os.time())
request = function() return wrk.format("GET", string.format("/bench/%032d.narinfo", math.random(1, $objects))) end
LUA
  cold_rps=$(wrk -t2 -c64 -d"${seconds}s" -s "$work/random.lua" "http://127.0.0.1:$vega_port" | awk '/Requests\/sec/ {print $2}')
  local status; status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$vega_port/bench/$(hash_of $(( (objects + 1) / 2 ))).narinfo")
  [ "$status" = 200 ] || { echo "a generated path answered $status, not 200" >&2; exit 1; }
  vega_stop
  echo "$name: start ${start_ms} ms, get-missing-paths(10000) ${missing_ms} ms, narinfo hit ${hot_rps} req/s (one path), ${cold_rps} req/s (random of $objects)"
}

prepare sqlite "sqlite://$work/sqlite/server.db"
prepare postgres "postgres://postgres@127.0.0.1:$pg_port/bench"
measure sqlite; s_start=$start_ms; s_missing=$missing_ms; s_hot=$hot_rps; s_cold=$cold_rps
measure postgres; p_start=$start_ms; p_missing=$missing_ms; p_hot=$hot_rps; p_cold=$cold_rps

echo "== $objects objects: PostgreSQL / SQLite"
printf '%-44s %10s %10s %8s\n' "measure" "SQLite" "PostgreSQL" "ratio"
printf '%-44s %10s %10s %8s\n' "start-up to first 200, ms (<= 2000)" "$s_start" "$p_start" "$(ratio "$p_start" "$s_start")"
printf '%-44s %10s %10s %8s\n' "get-missing-paths of 10,000, ms (<= 50)" "$s_missing" "$p_missing" "$(ratio "$p_missing" "$s_missing")"
printf '%-44s %10s %10s %8s\n' "narinfo hit, one path, req/s" "$s_hot" "$p_hot" "$(ratio "$p_hot" "$s_hot")"
printf '%-44s %10s %10s %8s\n' "narinfo hit, random paths, req/s (>= 0.8x)" "$s_cold" "$p_cold" "$(ratio "$p_cold" "$s_cold")"
