#!/usr/bin/env bash
# The runtime stage of docker/Dockerfile, simulated without a Docker engine, as far as that goes. It reads USER,
# VOLUME, WORKDIR, ENV, ENTRYPOINT and useradd's home from the Dockerfile's last stage, lays out the image's
# directories under a scratch root (the install directory root-owned, the volume owned by the image's user), and runs
# what docker/build-binary.sh built as that uid, with only the image's environment, in three ways:
#   1. no configuration: the first start writes its config and data inside the volume, answers HTTP, and the token it
#      prints creates a cache (SQLite, libsodium); atticadm, found on the image's PATH, mints a token from that config;
#   2. ATTIC_SERVER_CONFIG_BASE64, which wins over the config of 1, with the HS256 secret from its own variable;
#   3. -f on a root-owned file, as a read-only mount gives it: `atticd --mode check-config`, then serving.
# Not simulated: the image's own files (Ubuntu's glibc and libraries: this runs on the host's), Docker's networking
# and port publishing, volume initialisation, a real read-only mount. Paths are the image's under the scratch root, so
# the configs here name those; a real config names the image's paths.
#
#   bash docker/smoke.sh [OUT]    OUT: what docker/build-binary.sh built (default artifacts/docker/out)
#
# Needs root (setpriv to the image's uid) and curl. 127.0.0.1 only. Exits 77 (skipped) when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/docker/out}
dockerfile=docker/Dockerfile

if [ "$(id -u)" != 0 ]; then
  echo "smoke: skipped: needs root, to run the server as the image's user"
  exit 77
fi
[ -x "$out/vega-lite" ] || { echo "smoke: $out/vega-lite is missing: run docker/build-binary.sh $out" >&2; exit 1; }

passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

# The last stage of the Dockerfile, continuation lines joined.
stage=$(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba}' "$dockerfile" | awk '/^FROM /{s=""} {s=s $0 "\n"} END{printf "%s", s}')
instruction() { sed -n "s/^$1 //p" <<<"$stage" | tail -n1; }
json_single() { sed -n 's/^\["\([^"]*\)"\]$/\1/p'; }
user=$(instruction USER)
uid=${user%%:*}
gid=${user#*:}
volume=$(instruction VOLUME | json_single)
workdir=$(instruction WORKDIR)
entrypoint=$(instruction ENTRYPOINT | json_single)
home=$(sed -n 's/.*useradd .*--home-dir \([^ ]*\).*/\1/p' <<<"$stage")
install_dir=$(dirname "$entrypoint")
[[ "$uid" =~ ^[1-9][0-9]*$ && "$gid" =~ ^[1-9][0-9]*$ ]] || die "USER is not a numeric non-root uid:gid: '$user'"
[[ "$volume" == /* && "$workdir" == /* && "$entrypoint" == /* && "$home" == /* ]] ||
  die "cannot read VOLUME, WORKDIR, ENTRYPOINT or the user's home from $dockerfile"
ok "$dockerfile: USER $uid:$gid, VOLUME $volume, WORKDIR $workdir, ENTRYPOINT $entrypoint, home $home"

root=$(mktemp -d /tmp/vega-smoke.XXXXXX)
chmod 0755 "$root"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$root"
}
trap cleanup EXIT

# A path of the image, or a colon-separated list of them, as seen from here: what lies in the directories the image
# makes (the volume, the install directory) is under the scratch root, the rest is the host's.
in_root() {
  local IFS=: parts result=() part
  read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    case "$part" in
      "$volume" | "$volume"/* | "$install_dir" | "$install_dir"/*) result+=("$root$part") ;;
      *) result+=("$part") ;;
    esac
  done
  echo "${result[*]}"
}

# The image's environment: Docker sets HOME from the user's passwd entry, the rest is ENV.
image_env=("HOME=$(in_root "$home")")
while read -r pair; do
  [[ "$pair" =~ ^[A-Z_][A-Z0-9_]*=[^\ ]+$ ]] || die "ENV must be one KEY=VALUE per instruction: '$pair'"
  image_env+=("${pair%%=*}=$(in_root "${pair#*=}")")
done < <(sed -n 's/^ENV //p' <<<"$stage")
env_value() { local e; for e in "${image_env[@]}"; do [ "${e%%=*}" != "$1" ] || { echo "${e#*=}"; return; }; done; }
xdg_config=$(env_value XDG_CONFIG_HOME)
xdg_data=$(env_value XDG_DATA_HOME)
# Checked before anything runs: a path outside the volume would be the host's.
for dir in "$xdg_config" "$xdg_data"; do
  [[ "$dir" == "$root$volume" || "$dir" == "$root$volume"/* ]] || die "XDG_CONFIG_HOME or XDG_DATA_HOME is not in the volume"
done
ok "XDG_CONFIG_HOME and XDG_DATA_HOME are in the volume, so a first start's config and data outlive the container"

# The layout: COPY --from=build /out/ gives root-owned files; `install -d -o UID -m 0750` makes the volume.
mkdir -p "$root$install_dir" "$(dirname "$root$volume")" "$root/etc/vega-lite"
cp -a "$out/." "$root$install_dir/"
chown -R 0:0 "$root$install_dir"
install -d -o "$uid" -g "$gid" -m 0750 "$root$volume"

# Runs a command as the image's user with only the image's environment (plus any NAME=VALUE given first), in WORKDIR.
as_image_user() {
  local extra=()
  while [[ "${1:-}" == *=* ]]; do extra+=("$1"); shift; done
  cd "$root$workdir" && exec setpriv --reuid="$uid" --regid="$gid" --clear-groups env -i "${image_env[@]}" "${extra[@]}" "$@"
}
start_server() {   # LOG ARGS…: in the background; server_pid is the server's own pid (the subshell execs it)
  local log=$1; shift
  (as_image_user "$@") >"$log" 2>&1 &
  server_pid=$!
}
wait_http() {   # URL: until it answers 2xx, for at most 30 s, as long as the server lives
  local _
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}
stop_server() {   # SIGTERM as `docker stop` sends, SIGKILL after 10 s as it does
  local _
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
free_port() {
  local port _
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
owner_and_mode() { stat -c '%u:%g %a' "$1"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
server_toml() {   # PORT NAME: SQLite and local storage in the volume
  cat <<TOML
listen = "127.0.0.1:$1"
[database]
url = "sqlite://$(in_root "$volume")/$2.db?mode=rwc"
[storage]
type = "local"
path = "$(in_root "$volume")/$2-storage"
TOML
}

# The install directory is the image's, not the server's.
if (as_image_user touch "$root$install_dir/probe") 2>/dev/null; then die "the image's user can write $install_dir"; fi
ok "the image's user cannot write $install_dir"

echo "== 1. first start: no configuration"
port=$(free_port)
log=$root/first-start.log
start_server "$log" "$root$entrypoint" -l "127.0.0.1:$port"
wait_http "http://127.0.0.1:$port/" || { cat "$log" >&2; die "the first start does not answer on 127.0.0.1:$port"; }
ok "the first start answers GET / on 127.0.0.1:$port"
ids=$(awk '/^Uid:/ {u=$2} /^Gid:/ {g=$2} END {print u ":" g}' "/proc/$server_pid/status")
[ "$ids" = "$uid:$gid" ] || die "the server runs as $ids, not $uid:$gid"
ok "the server runs as $ids"
config=$xdg_config/attic/server.toml
[ -f "$config" ] || die "no config at \$XDG_CONFIG_HOME/attic/server.toml"
[ "$(owner_and_mode "$config")" = "$uid:$gid 600" ] || die "$config is $(owner_and_mode "$config"), not $uid:$gid 600"
[ -f "$xdg_data/attic/server.db" ] || die "no database at \$XDG_DATA_HOME/attic/server.db"
ok "the first start wrote its config (mode 600, the user's) and database inside $volume"
token=$(sed -n "s|^ *attic login local http://localhost:$port \([^ ]*\)$|\1|p" "$log")
[ -n "$token" ] || { cat "$log" >&2; die "the first start printed no attic login line with a token"; }
ok "the first start printed an attic login line with a token"
code=$(status_of -XPOST -H "Authorization: bearer $token" -H 'Content-Type: application/json' \
  -d '{"keypair":"Generate","is_public":true,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}' \
  "http://127.0.0.1:$port/_api/v1/cache-config/smoke")
[ "$code" = 200 ] || die "creating a cache with the printed token answered $code"
info=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/smoke/nix-cache-info")
grep -qx 'StoreDir: /nix/store' <<<"$info" || die "nix-cache-info of the new cache: $info"
ok "the printed token created a cache (SQLite and libsodium loaded), and it serves nix-cache-info"
pull=$(as_image_user atticadm make-token --sub smoke --validity '1 hour' --pull smoke)
code=$(status_of -H "Authorization: bearer $pull" "http://127.0.0.1:$port/_api/v1/cache-config/smoke")
[ "$code" = 200 ] || die "a token from atticadm make-token answered $code"
ok "atticadm on the image's PATH minted a token from the first start's config, and the server accepts it"
stop_server

echo "== 2. ATTIC_SERVER_CONFIG_BASE64 (wins over the config the first start left)"
port=$(free_port)
log=$root/base64.log
start_server "$log" \
  "ATTIC_SERVER_CONFIG_BASE64=$(server_toml "$port" base64 | base64 -w0)" \
  "ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64=$(head -c 48 /dev/urandom | base64 -w0)" \
  "$root$entrypoint"
wait_http "http://127.0.0.1:$port/" || { cat "$log" >&2; die "ATTIC_SERVER_CONFIG_BASE64's server does not answer on 127.0.0.1:$port"; }
[ -f "$root$volume/base64.db" ] || die "the server did not use ATTIC_SERVER_CONFIG_BASE64's database"
ok "ATTIC_SERVER_CONFIG_BASE64, HS256 secret from ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64: answers on $port, database in $volume"
stop_server

echo "== 3. -f on a mounted file (root-owned, world-readable: -v ./server.toml:/etc/vega-lite/server.toml:ro)"
port=$(free_port)
log=$root/file.log
file=$root/etc/vega-lite/server.toml
{ server_toml "$port" file; printf '[jwt.signing]\ntoken-hs256-secret-base64 = "%s"\n' "$(head -c 48 /dev/urandom | base64 -w0)"; } >"$file"
chmod 0444 "$file"
checked=$(as_image_user atticd -f "$file" --mode check-config)
grep -q 'is valid' <<<"$checked" || die "atticd --mode check-config: $checked"
ok "atticd (the symlink on PATH) --mode check-config accepts the mounted file"
start_server "$log" "$root$entrypoint" -f "$file"
wait_http "http://127.0.0.1:$port/" || { cat "$log" >&2; die "the server with -f does not answer on 127.0.0.1:$port"; }
[ -f "$root$volume/file.db" ] || die "the server did not use the mounted file's database"
ok "-f on the mounted file: answers on $port, database in $volume"
stop_server

echo "smoke: all $passed checks passed"
