#!/usr/bin/env bash
# libzstd (our P/Invoke, as the server calls it) against ZstdSharp.Port (zstd in C#) at level 8, one thread, on a NAR
# of real files from this machine: FastCDC chunks compressed one frame each (the chunked ingest) and the whole NAR as
# one stream. Prints MiB/s of each, ZstdSharp's speed as a multiple of libzstd's, and the compression ratios.
# The NAR holds files of /usr/lib/x86_64-linux-gnu (shared libraries, mostly), taken in path order up to the size;
# ZSTD_COMPARE_FROM="DIR…" takes them from elsewhere (push-pull.sh uses "/usr/lib /usr/share /opt").
# Usage: bash tests/bench/zstd-compare.sh [NAR_MIB=256] [RUNS=3] [aot|jit|both=aot]
#   aot: the program published with Native AOT (net9.0, libzstd.a linked in), as the server is;
#   jit: the same program on the JIT (net10.0, the runtime installed here; Debian's libzstd.so.1).
# Needs nix-store (for --dump) and the .NET SDK; writes only under a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
nar_mib=${1:-256}
runs=${2:-3}
mode=${3:-aot}
case $mode in aot | jit | both) ;; *) echo "mode must be aot, jit or both" >&2; exit 2 ;; esac
project=tests/bench/zstd-compare/ZstdCompare.csproj

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

read -r -a from <<<"${ZSTD_COMPARE_FROM:-/usr/lib/x86_64-linux-gnu}"
echo "== a NAR of ${nar_mib} MiB of files from ${from[*]}"
mkdir -p "$work/payload"
find "${from[@]}" -xdev -type f -size +4k -size -64M -readable -printf '%s\t%p\n' 2>/dev/null |
  sort -t$'\t' -k2 | awk -F'\t' -v limit=$((nar_mib * 1048576)) 'total + $1 <= limit { total += $1; print $2 }' >"$work/files"
tar -cf - -T "$work/files" 2>/dev/null | tar -xf - -C "$work/payload"
nix-store --dump "$work/payload" >"$work/nar"
rm -rf "$work/payload"
echo "$(wc -l <"$work/files") files, NAR $(stat -c %s "$work/nar") bytes"

if [ "$mode" != jit ]; then
  echo "== Native AOT publish"
  dotnet publish "$project" -f net9.0 -c Release -r linux-x64 --nologo -v quiet -o "$work/aot" >"$work/publish.log" 2>&1 ||
    { cat "$work/publish.log" >&2; exit 1; }
  "$work/aot/ZstdCompare" "$work/nar" "$runs"
fi
if [ "$mode" != aot ]; then
  echo "== JIT build"
  dotnet build "$project" -f net10.0 -c Release --nologo -v quiet -o "$work/jit" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; exit 1; }
  dotnet "$work/jit/ZstdCompare.dll" "$work/nar" "$runs"
fi
