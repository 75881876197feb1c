#!/usr/bin/env bash
# Does the binary survive the unit's hardening? No systemd runs here, so the two items a .NET Native AOT binary
# is most likely to trip are checked directly, on a representative run (ensure-cache, server start, a token, a cache
# created over the API, a `nix copy` push with zstd, narinfo and NAR reads, a garbage collection, SIGTERM), started as
# the unit starts it (from /, with its environment, unprivileged):
#   - SystemCallFilter: every system call the run makes (strace -f) must be allowed by the module's filter, as
#     systemd would compute it from systemd-analyze's groups (a call outside it fails with EPERM, the unit's
#     SystemCallErrorNumber, and would break the server);
#   - MemoryDenyWriteExecute: the same run under the kernel's PR_SET_MDWE (what systemd uses when the kernel has
#     it), which refuses writable-then-executable memory;
#   - and, from /, no inotify watches (the server turns ASP.NET Core's config reload off; src/Vega.Lite/ServerHost.cs).
# The filter is read from nixos-module/lib.nix, which the unit uses (eval-module.nix checks that).
# The binary is $VEGA_LITE_BIN (default artifacts/bin/vega-lite, published when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)
for tool in strace systemd-analyze /usr/bin/python3 nix setpriv; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed"; exit 1; }
done

work=$(mktemp -d /tmp/vega-lite-hardening.XXXXXX)
server_pid=
launcher=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" "$launcher" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
pass() { echo "ok: $*"; }

port=18180
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
base=http://127.0.0.1:$port
cat >"$work/server.toml" <<EOF
listen = "127.0.0.1:$port"
[database]
url = "sqlite://$work/server.db?mode=rwc"
[storage]
type = "local"
path = "$work/storage"
[chunking]
nar-size-threshold = 1
min-size = 1024
avg-size = 4096
max-size = 16384
EOF
secret="ATTIC_SERVER_TOKEN_RS256_SECRET_BASE64=$(openssl genrsa -traditional 2048 2>/dev/null | base64 -w0)"

# Something to push: a small store path of our own.
export NIX_CONFIG=$nix_offline_config
store_path=$(nix-store --add "$root/nixos-module/lib.nix")

# The run happens as the service would run it: from /, with the unit's environment (lib.nix), and as an
# unprivileged user when this is root (SQLite, for one, calls fchown only as root).
mapfile -t unit_env < <(nix-instantiate --eval --strict --json -E '(import ./nixos-module/lib.nix).serviceEnvironment' |
  jq -r 'to_entries[] | "\(.key)=\(.value)"')
as_service_user=()
if [ "$(id -u)" = 0 ]; then
  as_service_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  chmod 0777 "$work"
fi

# Stops the server a run started, if any: TERM, then KILL after 10 s, so a failed run never leaves one behind (the next
# run reuses the port, and its checks would reach the old server).
stop_server() {
  if [ -n "$server_pid" ]; then
    stop_process "$server_pid"
    stop_process "$launcher"
  fi
  server_pid=
  launcher=
}

# One representative run; every vega-lite process is started through "$@" (strace, or the MDWE launcher). The server
# is stopped whether the run succeeds or fails.
run_scenario() {
  stop_server
  if scenario_steps "$@"; then
    stop_server
    return 0
  fi
  stop_server
  return 1
}

scenario_steps() {
  rm -rf "$work/server.db"* "$work/storage" "$work/nix-cache" # nix remembers what a cache URL holds
  local -a run=(env "$secret" "${unit_env[@]}" "${as_service_user[@]}" "$@" "$bin" -f "$work/server.toml")
  # The unit's ExecStartPre for a declared cache, then its ExecStart.
  (cd / && "${run[@]}" ensure-cache declared --public --retention-period global --priority 41 \
    --upstream-cache-key-name cache.nixos.org-1) >/dev/null || return 1
  (cd / && exec "${run[@]}" --mode monolithic) >"$work/server.log" 2>&1 &
  launcher=$!
  # strace stays between the launcher and the server; the server is then its child.
  server_pid=$launcher
  local answered=no
  for _ in $(seq 150); do
    kill -0 "$launcher" 2>/dev/null || break
    if curl -s --max-time 2 -o /dev/null "$base/"; then answered=yes; break; fi
    sleep 0.1
  done
  server_pid=$(ps -o pid= --ppid "$launcher" | tr -d ' ')
  [ -n "$server_pid" ] || server_pid=$launcher
  [ "$answered" = yes ] || { echo "the server did not answer on $base"; return 1; }
  local token
  token=$(cd / && "${run[@]}" make-token --sub hardening --validity '1 hour' \
    --pull 'hardened' --push 'hardened' --create-cache 'hardened') || return 1
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"keypair":"Generate","is_public":true,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}' \
    "$base/_api/v1/cache-config/hardened" || return 1
  printf 'machine 127.0.0.1\nlogin x\npassword %s\n' "$token" >"$work/netrc"
  NIX_CONFIG="$NIX_CONFIG"$'\n'"netrc-file = $work/netrc" XDG_CACHE_HOME=$work/nix-cache \
    nix copy --to "$base/hardened?compression=zstd" "$store_path" 2>>"$work/nix.log" || return 1
  local narinfo nar_url
  narinfo=$(curl -sf "$base/hardened/$(basename "$store_path" | cut -c1-32).narinfo") || return 1
  nar_url=$(sed -n 's/^URL: //p' <<<"$narinfo")
  curl -sf -o /dev/null "$base/hardened/$nar_url" || return 1
  (cd / && "${run[@]}" --mode garbage-collector-once) >/dev/null || return 1
}

# systemd's allowed set for a SystemCallFilter list: the first entry decides allow-list mode, then each entry adds
# its calls, or removes them when it starts with ~. Groups (@…) are expanded with systemd-analyze.
expand() {
  case $1 in @*) ;; *) echo "$1"; return ;; esac
  systemd-analyze syscall-filter "$1" | awk 'NF == 1 && $1 !~ /^#/' | while read -r entry; do
    case $entry in
      @*) [ "$entry" = "$1" ] || expand "$entry" ;;
      *) echo "$entry" ;;
    esac
  done
}
mapfile -t filter < <(nix-instantiate --eval --strict --json -E '(import ./nixos-module/lib.nix).hardening.SystemCallFilter' | jq -r '.[]')
: >"$work/allowed"
for entry in "${filter[@]}"; do
  case $entry in
    "~"*) expand "${entry#\~}" | sort -u >"$work/removed"
      comm -23 <(sort -u "$work/allowed") "$work/removed" >"$work/allowed.next" ;;
    *) { cat "$work/allowed"; expand "$entry"; } | sort -u >"$work/allowed.next" ;;
  esac
  mv "$work/allowed.next" "$work/allowed"
done

if run_scenario strace -f -qq -ff -o "$work/trace"; then
  pass "the representative run completes under strace"
else
  fail "the representative run failed under strace"
  tail -n 20 "$work/server.log"
fi
sed -n 's/^\(<\.\.\. \)\{0,1\}\([a-z0-9_]*\)[( ].*/\2/p' "$work"/trace.* | grep -v '^$' | sort -u >"$work/used"
denied=$(comm -23 "$work/used" "$work/allowed")
if [ -z "$denied" ]; then
  pass "SystemCallFilter (${filter[*]}) allows all $(wc -l <"$work/used") system calls of the run"
else
  fail "SystemCallFilter (${filter[*]}) denies what the run calls: $(echo "$denied" | tr '\n' ' ')"
fi
watches=$(cat "$work"/trace.* | grep -c '^inotify_add_watch(' || true)
if [ "$watches" -eq 0 ]; then
  pass "no inotify watches, though the working directory is /"
else
  fail "$watches inotify watches from the working directory /"
fi

# Debian's python3, not one from a user's PATH (a pyenv shim under /root is out of reach of nobody).
if run_scenario /usr/bin/python3 "$root/tests/nix/mdwe-exec.py"; then
  pass "MemoryDenyWriteExecute: the representative run completes under PR_SET_MDWE"
else
  fail "MemoryDenyWriteExecute: the representative run fails under PR_SET_MDWE"
  tail -n 20 "$work/server.log"
fi
exit $status
