# Shared by the benchmark scripts (sourced, not run): a vega-lite on 127.0.0.1 with its own data directory, tokens,
# caches, an nginx serving a directory, and the arithmetic the reports print. Callers set `bin` and `work` first, and
# run from the repository's root.
# shellcheck shell=bash disable=SC2154

# shellcheck source=tests/common.sh
source tests/common.sh   # stop_process

ms_now() { date +%s%N | cut -c1-13; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# CPU time (user + system) a process has used so far, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }
peak_rss_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
# Resets a process's peak RSS (VmHWM) so the next reading covers only what follows.
reset_peak_rss() { echo 5 > "/proc/$1/clear_refs"; }
ratio() { echo "$1 $2" | awk '{ if ($1 + 0 > 0 && $2 + 0 > 0) printf "%.2f", $1/$2; else print "n/a" }'; }
mib() { echo "$1" | awk '{printf "%.1f", $1/1048576}'; }
# Sum of the sizes of the regular files under a directory, in bytes (apparent size: what the blobs hold).
bytes_under() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

# vega_write_config DIR PORT [EXTRA_TOML]: a server.toml with SQLite and local storage in DIR.
vega_write_config() {
  mkdir -p "$1"
  cat > "$1/server.toml" <<TOML
listen = "127.0.0.1:$2"
${3:-}
[database]
url = "sqlite://$1/server.db"
[storage]
type = "local"
path = "$1/storage"
[jwt.signing]
token-hs256-secret-base64 = "$(head -c 48 /dev/urandom | base64 -w0)"
TOML
}

# vega_start DIR PORT: starts the server on DIR's config, waits (at most 30 s) for its first 200; sets vega_pid.
vega_start() {
  "$bin" -f "$1/server.toml" >>"$1/vega.log" 2>&1 &
  vega_pid=$!
  local deadline=$(( $(date +%s) + 30 ))
  until curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$2/"; do
    if [ "$(date +%s)" -ge "$deadline" ] || ! kill -0 "$vega_pid" 2>/dev/null; then
      echo "vega-lite did not start; its log:" >&2; cat "$1/vega.log" >&2; return 1
    fi
    sleep 0.1
  done
}

vega_stop() {
  [ -n "${vega_pid:-}" ] || return 0
  stop_process "$vega_pid"
  vega_pid=""
}

# vega_token DIR: a token that may pull, push and create every cache.
vega_token() { "$bin" -f "$1/server.toml" make-token --sub bench --validity 1h --pull '*' --push '*' --create-cache '*'; }

# vega_create_cache PORT TOKEN NAME: a public cache, as `attic cache create --public` makes it.
vega_create_cache() {
  curl -sf -XPOST -H "Authorization: bearer $2" -H 'Content-Type: application/json' \
    -d '{"keypair":"Generate","is_public":true,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}' \
    "http://127.0.0.1:$1/_api/v1/cache-config/$3"
}

# attic_push PORT TOKEN CACHE STORE_PATH: what `attic push` sends for one path: the NAR streamed from
# `nix-store --dump` (chunked, no Content-Length) after its info in the X-Attic-Nar-Info header. Prints the response.
attic_push() {
  local port=$1 token=$2 cache=$3 path=$4 base hash nar_hash nar_size refs info
  base=$(basename "$path")
  hash=${base%%-*}
  nar_hash=$(nix-store -q --hash "$path")
  nar_size=$(nix-store -q --size "$path")
  refs=$(nix-store -q --references "$path" | xargs -r -n1 basename | sed 's/.*/"&"/' | paste -sd, -)
  info=$(printf '{"cache":"%s","store_path_hash":"%s","store_path":"%s","references":[%s],"system":null,"deriver":null,"sigs":[],"ca":null,"nar_hash":"%s","nar_size":%s}' \
    "$cache" "$hash" "$path" "$refs" "$nar_hash" "$nar_size")
  nix-store --dump "$path" | curl -sf -T - -H "Authorization: bearer $token" -H "X-Attic-Nar-Info: $info" \
    "http://127.0.0.1:$port/_api/v1/upload-path"
}

# nginx_serve ROOT PORT: nginx (static files, sendfile) serving ROOT on 127.0.0.1:PORT; prefix in $work/nginx.
nginx_serve() {
  mkdir -p "$work/nginx/logs"
  cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  types { text/x-nix-narinfo narinfo; application/x-nix-nar nar; }
  server { listen 127.0.0.1:$2; root $1; }
}
NGINX
  chmod 755 "$work" && chmod -R a+rX "$1"   # nginx workers run unprivileged
  nginx -p "$work/nginx" -c nginx.conf
  local deadline=$(( $(date +%s) + 30 ))
  until curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$2/"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "nginx did not start" >&2; return 1; }
    sleep 0.1
  done
}

nginx_stop() {
  if [ -f "$work/nginx/nginx.pid" ]; then nginx -p "$work/nginx" -c nginx.conf -s stop 2>/dev/null || true; fi
}

# best_mibps URL: the best of three single-stream downloads, MiB/s.
best_mibps() {
  local best=0 s
  for _ in 1 2 3; do
    s=$(curl -sf -o /dev/null -w '%{speed_download}' "$1")
    best=$(echo "$s $best" | awk '{print ($1>$2)?$1:$2}')
  done
  echo "$best" | awk '{printf "%.0f", $1/1048576}'
}
