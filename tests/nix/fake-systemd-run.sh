#!/usr/bin/env bash
# Stands in for systemd-run when eval-module.sh runs the admin wrapper (no systemd here): records its arguments in
# $FAKE_SYSTEMD_RUN_LOG, loads the EnvironmentFile= property as systemd would, and runs the command after "--" as
# the calling user. The test checks the recorded properties (DynamicUser, User, StateDirectory, …) itself.
set -euo pipefail
printf '%s\n' "$@" >"$FAKE_SYSTEMD_RUN_LOG"
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case $1 in
    --property=EnvironmentFile=*)
      set -a
      # shellcheck disable=SC1090 # the file is the one the wrapper names
      . "${1#--property=EnvironmentFile=}"
      set +a
      ;;
    --setenv=*) export "${1#--setenv=}" ;;
  esac
  shift
done
[ $# -gt 0 ] || { echo "fake systemd-run: no -- before the command" >&2; exit 2; }
shift
exec "$@"
