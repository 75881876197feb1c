# shellcheck shell=bash
# Sourced by the shell tests and benchmarks: what they all need the same way. Run from the repository's root.

# The vega-lite binary to run: $VEGA_LITE_BIN when set. The suite sets it after its one publish, so a publish that
# failed there is reported, not redone here. Unset, artifacts/bin/vega-lite, published when missing.
vega_lite_binary() {
  local bin
  if [ -n "${VEGA_LITE_BIN:-}" ]; then
    bin=$VEGA_LITE_BIN
  else
    bin=$PWD/artifacts/bin/vega-lite
    [ -x "$bin" ] || bash scripts/publish.sh artifacts/bin >&2
  fi
  [ -x "$bin" ] || { echo "FAIL: no vega-lite binary at $bin" >&2; return 1; }
  printf '%s\n' "$bin"
}

# Debian's Nix as root in single-user mode, offline, as the e2e tests use it.
# shellcheck disable=SC2034 # used by the scripts that source this
nix_offline_config=$'experimental-features = nix-command\nsandbox = false\nbuild-users-group =\nsubstituters ='

# stop_process PID...: SIGTERM, then SIGKILL if they are still running after 10 s; reaps them when they are children.
stop_process() {
  [ "$#" -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  local pid
  for _ in $(seq 100); do
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && break; pid=; done
    [ -n "$pid" ] || break
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
}
