#!/usr/bin/env bash
# One-off: points comments that cite documents outside the repository (the shared reference's attic-api.md,
# nix-cache-protocol.md, dotnet-toolchain.md) at the repository's own docs/ files, keeping the section numbers.
# Run from anywhere inside the work tree; idempotent (a second run changes nothing). Prints file:count of the
# citations it rewrote, then any citation of an outside document it could not rewrite. Delete it once run.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

# Tracked files only (no bin/, obj/, .deps/): the folders the brief names, and every project/props file.
mapfile -t files < <(git ls-files -- src tests scripts docker nixos-module nix '*.csproj' '*.props' '*.targets' |
  grep -v -e '/bin/' -e '/obj/' | sort -u)

# The rewrites, in one perl program: general citations anywhere, bare "§" citations only in the two e2e files that
# cite attic-api.md by section alone, and "reference §" only where it means the Nix protocol reference.
# Each substitution counts itself; the total is printed per file. Lookbehinds keep a second run a no-op.
read -r -d '' program <<'PERL' || true
my $n = 0;
# "copied from its documentation (shared/reference/attic-api.md section 9)" (tests/nix/attic-hardening.nix): the list
# is the unit's in Attic's nixos/atticd.nix, which docs/attic-api.md §9 restates
$n += s{copied from its documentation \((?:\.\./)?(?:/work/)?shared/reference/attic-api\.md section (\d+)\)}{copied from its nixos/atticd.nix (docs/attic-api.md §$1)}g;
$n += s{(?:\.\./)?(?:/work/)?shared/reference/attic-api\.md section (\d+)}{docs/attic-api.md §$1}g;
# any remaining path prefix of the shared reference
$n += s{(?:\.\./)?(?:/work/)?shared/reference/(attic-api|nix-cache-protocol)\.md}{docs/$1.md}g;
$n += s{(?:\.\./)?(?:/work/)?shared/reference/dotnet-toolchain\.md}{docs/toolchain.md}g;
# "attic-api.md §3.4", "nix-cache-protocol.md §1.5", also "(attic-api.md)" without a section
$n += s{(?<![\w./-])(attic-api|nix-cache-protocol)\.md}{docs/$1.md}g;
# "(see dotnet-toolchain.md)", "(dotnet-toolchain.md)"
$n += s{(?<![\w./-])dotnet-toolchain\.md}{docs/toolchain.md}g;
if ($ENV{BARE_ATTIC}) {
  # "(§3.5.1)", "(UploadPathResult, §3.4)", "(§10.3)": a "§" not already preceded by a file name
  $n += s{(?<!\.md )(?<!\.md \()§(\d)}{docs/attic-api.md §$1}g;
}
if ($ENV{NIX_REFERENCE}) {
  # "(reference §2, …)", "(reference §1.3)", "tree of the reference (§2)"
  $n += s{\breference §}{docs/nix-cache-protocol.md §}g;
  $n += s{\bthe reference \(§}{docs/nix-cache-protocol.md (§}g;
}
$total += $n;
END { print STDERR "$total\n" }
PERL

rewritten=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  case $f in
    tests/e2e/*AtticClient.cs | tests/e2e/*AtticIntegrationTests.cs) bare=1 ;;
    *) bare= ;;
  esac
  case $f in
    tests/Vega.Lite.Core.Tests/*) nixref=1 ;;
    *) nixref= ;;
  esac
  # Skip files with nothing to rewrite (cheap grep before perl).
  if ! grep -qE 'attic-api\.md|nix-cache-protocol\.md|dotnet-toolchain\.md|shared/reference' "$f" &&
    ! { [ -n "$bare" ] && grep -q '§' "$f"; } &&
    ! { [ -n "$nixref" ] && grep -q 'reference (\?§' "$f"; }; then
    continue
  fi
  count=$(BARE_ATTIC=$bare NIX_REFERENCE=$nixref perl -i -pe "$program" "$f" 2>&1 >/dev/null | tail -n1)
  # perl -i writes the file even when nothing changed; that is harmless (same bytes).
  if [ "${count:-0}" -gt 0 ]; then
    echo "$f:$count"
    rewritten=$((rewritten + count))
  fi
done
echo "rewrote $rewritten citation(s)"

# What is left: citations of outside documents that no rule covered (should print nothing).
left=$(git grep -nE '(^|[^/])(attic-api|nix-cache-protocol|attic-database|clients-and-ci|dotnet-toolchain)\.md|shared/reference|ARCHITECTURE\.md|reference \(?§' \
  -- src tests scripts docker nixos-module nix '*.csproj' '*.props' '*.targets' || true)
if [ -n "$left" ]; then
  echo "not rewritten (fix by hand):"
  echo "$left"
  exit 1
fi
