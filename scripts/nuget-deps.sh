#!/usr/bin/env bash
# Writes nix/deps.json, the NuGet lock file of nix/package.nix, in nixpkgs' format: a JSON list of
# { pname, version, hash } with the SRI sha256 of each .nupkg, sorted like nixpkgs' nuget-to-json.
# It lists what a restore for the Nix build downloads, runtime and ILCompiler packs included. The restore uses
# the Nix build's properties (net9.0 only, linux-x64) and runs on a clean copy of the sources, with an empty
# packages folder, so the folder then holds exactly those packages and the working tree's obj/ is left alone.
# Usage: scripts/nuget-deps.sh [OUTPUT]   (default nix/deps.json)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-nix/deps.json}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/source"
git ls-files -z -- Directory.Build.props src | xargs -0 cp --parents -t "$work/source"

NUGET_PACKAGES=$work/packages dotnet restore "$work/source/src/Vega.Lite/Vega.Lite.csproj" \
  -r linux-x64 -p:TargetFrameworks=net9.0 --nologo -v quiet

# One line per package: "<lowercase id>\t<version>\t<id as in its .nuspec>\t<SRI hash>".
for dir in "$work"/packages/*/*/; do
  lower=$(basename "$(dirname "$dir")")
  version=$(basename "$dir")
  nupkg=$dir/$lower.$version.nupkg
  [ -f "$nupkg" ] || { echo "no $nupkg" >&2; exit 1; }
  id=$(sed -n 's:.*<id>\([^<]*\)</id>.*:\1:p' "$dir/$lower.nuspec" | head -n1)
  hash=$(openssl dgst -sha256 -binary "$nupkg" | base64 -w0)
  printf '%s\t%s\t%s\tsha256-%s\n' "$lower" "$version" "$id" "$hash"
done | LC_ALL=C sort |
  jq -R -s 'split("\n") | map(select(. != "") | split("\t") | { pname: .[2], version: .[1], hash: .[3] })' >"$out"
echo "$(jq length "$out") packages written to $out"
