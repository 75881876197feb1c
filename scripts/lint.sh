#!/usr/bin/env bash
# Lints the shell scripts and the Dockerfile, and exits non-zero on any finding:
#   - shellcheck (Debian's) on every shell script in the repository, tracked or new: *.sh, and files without that
#     extension whose first line is a sh/bash shebang (.ci/run);
#   - dockerlinter (npm, version pinned in scripts/install-test-deps.sh, installed into .deps/dockerlinter) on
#     docker/Dockerfile: hadolint-like rules (tagged bases, apt-get hygiene, last USER not root, JSON-form ENTRYPOINT,
#     COPY --from aliases, …) and shellcheck on each RUN. A rule is waived on one instruction by a comment
#     `# linter ignore=CODE` on the line above it, with the reason beside it;
#   - `dotnet format --verify-no-changes` on the solution: the C# style of .editorconfig (whitespace, usings, naming,
#     braces, the IDE analyzers it raises to warnings).
# Each linter first lints a known-bad input and must find something there, so a linter that silently passes
# everything (as dockerlinter does when its file is missing) fails here instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dockerlinter=$root/.deps/dockerlinter/node_modules/.bin/dockerlinter
dockerfile=$root/docker/Dockerfile
command -v shellcheck >/dev/null || { echo "lint: shellcheck is missing: bash scripts/install-test-deps.sh" >&2; exit 1; }
[ -x "$dockerlinter" ] || { echo "lint: $dockerlinter is missing: bash scripts/install-test-deps.sh" >&2; exit 1; }
[ -f "$dockerfile" ] || { echo "lint: $dockerfile is missing" >&2; exit 1; }
# dockerlinter writes each RUN to temp<LINE>.sh in its working directory for shellcheck: give it a scratch one.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

scripts=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue   # deleted in the work tree
  case "$file" in
    *.sh) scripts+=("$file") ;;
    *) if head -n1 "$file" | grep -Eq '^#!(/usr/bin/env |/bin/|/usr/bin/)(ba)?sh\b'; then scripts+=("$file"); fi ;;
  esac
done < <(git ls-files -z --cached --others --exclude-standard)

# shellcheck disable=SC2016 # the $1 is meant literally: it is the bad script's text
printf 'echo $1\n' >"$scratch/bad.sh"
if shellcheck -s bash "$scratch/bad.sh" >/dev/null; then
  echo "lint: shellcheck found nothing in a script with an unquoted \$1: it is not working" >&2; exit 1
fi
printf 'MAINTAINER nobody\nRUN apt-get install curl\n' >"$scratch/bad.Dockerfile"
mkdir "$scratch/format" && cp .editorconfig "$scratch/format/" && printf 'namespace Bad;\n\ninternal  class Bad {   }\n' >"$scratch/format/Bad.cs"
if dotnet format whitespace --folder "$scratch/format" --verify-no-changes >/dev/null 2>&1; then
  echo "lint: dotnet format found nothing in a file with doubled spaces: it is not working" >&2; exit 1
fi
if (cd "$scratch" && "$dockerlinter" -f bad.Dockerfile -e info >/dev/null); then
  echo "lint: dockerlinter found nothing in a Dockerfile with no FROM: it is not working" >&2; exit 1
fi

status=0
shellcheck_findings=$(shellcheck -f gcc "${scripts[@]}" || true)
shellcheck_count=$(grep -c . <<<"$shellcheck_findings" || true)
[ -z "$shellcheck_findings" ] || { echo "$shellcheck_findings"; status=1; }
echo "lint: shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#scripts[@]} scripts, $shellcheck_count findings"

docker_rc=0
docker_findings=$(cd "$scratch" && "$dockerlinter" -f "$dockerfile" -e info) || docker_rc=$?
# Its report is "Line N:" followed by one indented "/CODE/ message" per finding.
docker_count=$(grep -cE '^ +/[A-Z]+[0-9]+/' <<<"$docker_findings" || true)
[ -z "$docker_findings" ] || echo "$docker_findings"
echo "lint: dockerlinter $("$dockerlinter" --version): docker/Dockerfile, $docker_count findings"
if [ "$docker_rc" -ne 0 ]; then
  status=1
  [ "$docker_count" -gt 0 ] || echo "lint: dockerlinter exited $docker_rc without a finding" >&2
fi

format_rc=0
format_findings=$(dotnet format Vega.Lite.sln --verify-no-changes -v q 2>&1) || format_rc=$?
format_count=$(grep -cE ': (error|warning) [A-Z]+[0-9]*:' <<<"$format_findings" || true)
if [ "$format_rc" -ne 0 ]; then
  echo "$format_findings" | head -n 50
  echo "lint: dotnet format: fix with \`dotnet format Vega.Lite.sln\`" >&2
  status=1
fi
echo "lint: dotnet format $(dotnet format --version | head -n1): Vega.Lite.sln, $format_count findings"
exit $status
