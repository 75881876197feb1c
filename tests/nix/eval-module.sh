#!/usr/bin/env bash
# The NixOS module's evaluation test (no nixpkgs here, so through the stand-ins in tests/nix/stub):
#   1. evaluates the module with the scenarios of eval-module.nix and compares the options, settings, unit, nginx
#      virtual host and assertions with hand-written expected values;
#   2. builds each scenario's unit with Debian's Nix, which runs the build-time `--mode check-config` of the
#      rendered server.toml with the real binary (and must fail for the invalid scenario);
#   3. starts one scenario for real: its ExecStartPre (ensure-cache) and ExecStart lines, then the admin wrapper's
#      make-token through a stand-in systemd-run, and checks that the running server accepts that token;
#   4. evaluates and builds the example configuration of nixos-module/README.md.
# The binary is $VEGA_LITE_BIN (default artifacts/bin/vega-lite, published when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/tests/nix

# shellcheck source=tests/common.sh
source tests/common.sh
bin=$(vega_lite_binary)

export NIX_CONFIG=$nix_offline_config

scratch=$(mktemp -d /tmp/vega-lite-nix-eval.XXXXXX)
server_pid=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

port=18080
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

status=0
fail() { echo "FAIL: $*"; status=1; }
pass() { echo "ok: $*"; }

sed -n '/^<!-- example-configuration -->$/,/^```$/p' nixos-module/README.md | sed '1,2d;$d' >"$scratch/readme-example.nix"
[ -s "$scratch/readme-example.nix" ] || fail "README: no example configuration found after <!-- example-configuration -->"

nix_args=(tests/nix/eval-module.nix --argstr publishDir "$(dirname "$bin")" --argstr scratch "$scratch"
  --argstr port "$port" --argstr readmeExample "$scratch/readme-example.nix")

# 1. Expectations.
if failures=$(nix-instantiate --eval --strict --json -A failures "${nix_args[@]}" 2>"$scratch/eval.log"); then
  if [ "$failures" = "[]" ]; then
    pass "module evaluation: every expectation of eval-module.nix holds"
  else
    fail "module evaluation: expectations that do not hold:"
    echo "$failures" | jq -r '.[] | "  \(.name)\n    expected: \(.expected)\n    actual:   \(.actual)"'
  fi
else
  fail "module evaluation: nix-instantiate failed"
  cat "$scratch/eval.log"
fi

# 2. Builds: the checked configuration is what ExecStart runs, and it is the rendered settings.
build() { nix-build --no-out-link -A "builds.$1" "${nix_args[@]}" 2>"$scratch/build-$1.log"; }
for scenario in defaults nginxAndCaches customStorage runnable trickyStrings readmeExample; do
  if ! report=$(build "$scenario"); then
    fail "build $scenario: check-config refused the rendered configuration or the build failed:"
    tail -n 20 "$scratch/build-$scenario.log"
    continue
  fi
  exec_start=$(jq -r .serviceConfig.ExecStart "$report")
  checked=$(sed -n 's/^[^ ]* -f \([^ ]*\) --mode .*$/\1/p' <<<"$exec_start")
  if [ -f "$checked" ] && cmp -s "$checked" "$(jq -r .serverToml "$report")"; then
    pass "build $scenario: server.toml passed check-config; ExecStart runs the checked copy"
  else
    fail "build $scenario: ExecStart ($exec_start) does not run the checked server.toml"
  fi
  if shellcheck -s bash "$(jq -r .adminWrapper "$report")"; then
    pass "build $scenario: the admin wrapper passes shellcheck"
  else
    fail "build $scenario: the admin wrapper fails shellcheck"
  fi
done

if build invalid >/dev/null; then
  fail "build invalid: compression.type = \"lzip\" was accepted"
elif grep -q 'compression.type: must be one of' "$scratch/build-invalid.log"; then
  pass "build invalid: check-config fails the build and names compression.type"
else
  fail "build invalid: the build failed without naming compression.type:"
  tail -n 20 "$scratch/build-invalid.log"
fi

# The TOML renderer's escapes, read back by the binary's parser: it signs the issuer and audiences into a token.
token_claims() {
  local payload
  payload=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while [ $((${#payload} % 4)) -ne 0 ]; do payload="$payload="; done
  base64 -d <<<"$payload"
}
claims=none
if report=$(build trickyStrings); then
  checked=$(sed -n 's/^[^ ]* -f \([^ ]*\) --mode .*$/\1/p' <<<"$(jq -r .serviceConfig.ExecStart "$report")")
  if token=$(ATTIC_SERVER_DATABASE_URL=sqlite://:memory: "$bin" -f "$checked" make-token --sub tricky --validity '1 hour'); then
    claims=$(token_claims "$token" | jq -S '{"token-bound-issuer": .iss, "token-bound-audiences": .aud}')
  fi
fi
expected=$(nix-instantiate --eval --strict --json -A tricky "${nix_args[@]}" | jq -S .)
if [ "$claims" = "$expected" ]; then
  pass "TOML strings: quotes, backslashes, tab, newline, \${…}, unicode, control characters and DEL survive"
else
  fail "TOML strings: the binary read back something else"
  diff <(echo "$expected") <(echo "$claims") || true
fi

# 3. The runnable scenario, for real.
report=$(build runnable) || { echo "FAIL: cannot build the runnable scenario"; exit 1; }
{
  echo "ATTIC_SERVER_TOKEN_RS256_SECRET_BASE64=$(openssl genrsa -traditional 4096 2>/dev/null | base64 -w0)"
  echo "ATTIC_SERVER_DATABASE_URL=sqlite://$scratch/server.db?mode=rwc"
} >"$scratch/vega-lite.env"

# Splits one Exec= line of the unit into argv. The module's lines hold store paths, cache names and flags only;
# anything systemd would expand ($, %) would make eval wrong, so it fails the test instead.
argv=()
parse_exec_line() {
  case $1 in *'$'* | *'%'* | *'`'*) echo "unexpected \$, % or \` in: $1" >&2; return 2 ;; esac
  eval "argv=($1)"
}
# Runs argv with the unit's environment and its environment file, as systemd would.
unit_env=()
run_argv() {
  # shellcheck disable=SC1091 # written above
  (set -a && . "$scratch/vega-lite.env" && set +a && exec env "${unit_env[@]}" "${argv[@]}")
}

mapfile -t unit_env < <(jq -r '.environment | to_entries[] | "\(.key)=\(.value)"' "$report")
# Twice, as two starts of the service would: ensure-cache must be idempotent.
for start in first second; do
  while IFS= read -r line; do
    parse_exec_line "$line"
    if output=$(run_argv 2>&1); then
      pass "ExecStartPre ($start start): ${line##* ensure-cache }"
    else
      fail "ExecStartPre failed ($start start): $line"
      echo "$output"
    fi
  done < <(jq -r '.serviceConfig.ExecStartPre[]' "$report")
done

parse_exec_line "$(jq -r .serviceConfig.ExecStart "$report")"
# Not run_argv: started in the background, a function would be a shell between $! and the server, which then
# outlives the kill below. This subshell execs, so $! is the server.
# shellcheck disable=SC1091 # written above
(set -a && . "$scratch/vega-lite.env" && set +a && exec env "${unit_env[@]}" "${argv[@]}") >"$scratch/server.log" 2>&1 &
server_pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 100); do
  kill -0 "$server_pid" 2>/dev/null || break
  curl -s --max-time 2 -o /dev/null "$base/" && break
  sleep 0.1
done
if curl -s --max-time 2 -o /dev/null "$base/"; then
  pass "ExecStart: the server answers on $base"
else
  fail "ExecStart: the server does not answer on $base"
  cat "$scratch/server.log"
fi

http_status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
if [ "$(http_status "$base/open-cache/nix-cache-info")" = 200 ]; then
  pass "ensure-cache: the public cache answers anonymously"
else
  fail "ensure-cache: the public cache does not answer anonymously"
fi
if [ "$(http_status "$base/closed-cache/nix-cache-info")" != 200 ]; then
  pass "ensure-cache: the private cache refuses anonymous readers"
else
  fail "ensure-cache: the private cache answers anonymously"
fi

# The admin wrapper, through the stand-in systemd-run: the properties it asks for, and a token the server accepts.
mkdir -p "$scratch/path"
ln -s "$here/fake-systemd-run.sh" "$scratch/path/systemd-run"
export FAKE_SYSTEMD_RUN_LOG=$scratch/systemd-run.args
wrapper=$(jq -r .adminWrapper "$report")
if token=$(PATH="$scratch/path:$PATH" "$wrapper" make-token --sub nix-module-test --validity '1 hour' \
  --pull 'admin-made' --create-cache 'admin-made' --pull 'closed-cache'); then
  pass "admin wrapper: make-token ran"
else
  fail "admin wrapper: make-token failed"
fi
for expected in --pipe --wait --collect "--property=EnvironmentFile=$scratch/vega-lite.env" \
  --property=DynamicUser=yes --property=User=vega-lite --property=Group=vega-lite \
  --property=StateDirectory=vega-lite "--property=ReadWritePaths=$scratch/storage"; do
  grep -qxF -- "$expected" "$FAKE_SYSTEMD_RUN_LOG" || fail "admin wrapper: systemd-run was not given $expected"
done
create_body='{"keypair":"Generate","is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}'
if [ "$(http_status -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "$create_body" "$base/_api/v1/cache-config/admin-made")" = 200 ] &&
  [ "$(http_status -H "Authorization: Bearer $token" "$base/admin-made/nix-cache-info")" = 200 ] &&
  [ "$(http_status "$base/admin-made/nix-cache-info")" != 200 ]; then
  pass "admin wrapper: the server accepts its token (cache created and read with it, refused without)"
else
  fail "admin wrapper: the server does not accept the token it made"
  tail -n 20 "$scratch/server.log"
fi

settings=$(curl -s -H "Authorization: Bearer $token" "$base/_api/v1/cache-config/closed-cache" |
  jq -c '{is_public, priority, upstream_cache_key_names, retention_period}')
expected='{"is_public":false,"priority":30,"upstream_cache_key_names":[],"retention_period":{"Period":3600}}'
if [ "$settings" = "$expected" ]; then
  pass "ensure-cache: the private cache has the declared priority, upstream keys and retention"
else
  fail "ensure-cache: the private cache is $settings, not $expected"
fi

stop_process "$server_pid"
server_pid=
exit $status
