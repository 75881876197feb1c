#!/usr/bin/env bash
# Builds what the Docker image ships into OUT (relative paths are taken from the repository root, as publish.sh does):
#   vega-lite            the Native AOT binary, from scripts/publish.sh
#   lib*.so*             any native library published beside it that it loads at run time (none today: the AOT
#                        publish links libsodium, libzstd, liblzma and SQLite in; kept so a build without that works)
#   atticd, atticadm     symlinks to vega-lite: started by those names it behaves as those programs
# Nothing else from the publish directory (.dbg, .pdb, the static web assets manifest) is needed at run time.
#
# The Dockerfile's build stage is this one script, and tests/run-all.sh runs it too: the build logic is exercised in CI
# although no Docker engine runs there. scripts/publish.sh installs the build dependencies when missing, with apt
# (Debian or Ubuntu): a C toolchain for the AOT link and the -dev packages whose static archives it links in.
#
#   bash docker/build-binary.sh OUT
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: docker/build-binary.sh OUT}

# Publish into a scratch directory, then copy only what runs: OUT holds exactly what the image gets.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
bash scripts/publish.sh "$staging" >/dev/null

mkdir -p "$out"
# Leftovers of an earlier build go first, e.g. a library that the binary now links in statically.
rm -f "$out/vega-lite" "$out/atticd" "$out/atticadm" "$out"/lib*.so*
install -m 0755 "$staging/vega-lite" "$out/vega-lite"
shopt -s nullglob
for lib in "$staging"/lib*.so*; do
  install -m 0644 "$lib" "$out/"
done
ln -s vega-lite "$out/atticd"
ln -s vega-lite "$out/atticadm"
echo "built into $out:"
ls -l "$out"
