#!/usr/bin/env bash
# Proves that the published vega-lite binary is one self-contained file: libsodium, libzstd, liblzma and SQLite are
# linked in, nothing but glibc is needed at load time, and at run time only libssl/libcrypto are added (.NET's crypto
# dlopens them). Usage: scripts/check-static-binary.sh [BIN]   (default: artifacts/bin/vega-lite)
#
#  1. `readelf -d`: the NEEDED entries are glibc's own libraries only; the malloc arena limit is linked in.
#  2. No shared library is shipped beside the binary (SQLitePCLRaw's libe_sqlite3.so in particular).
#  3. The binary runs in a chroot that holds only itself, the files `ldd` lists, libssl/libcrypto with theirs, and
#     /dev/null and /dev/urandom: it mints a token, serves, creates a cache with a generated key (libsodium), takes
#     NAR uploads compressed with xz and zstd (liblzma, libzstd), stores them zstd-compressed in SQLite-indexed local
#     storage, and serves a narinfo whose signature openssl verifies and a NAR that decompresses to the upload.
#     Then /proc/PID/maps must show no sodium/zstd/lzma/sqlite library.
# Needs root (chroot, mknod) and readelf, ldd, curl, xz, zstd, openssl, ss. Exits non-zero if any check fails.
set -euo pipefail

bin=$(realpath -e "${1:-$(dirname "$0")/../artifacts/bin/vega-lite}")
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
die() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

for tool in readelf ldd chroot mknod curl xz zstd openssl ss sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is needed for this check"
done
[ "$(id -u)" = 0 ] || die "run as root: the run-time check uses chroot and mknod"

# Libraries that must never be loaded: linked statically instead.
forbidden='sodium|zstd|lzma|sqlite'

echo "== 1. NEEDED entries of $bin ($(stat -c %s "$bin") bytes)"
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf found no NEEDED entries: not a dynamically linked executable?"
# glibc's libraries only. The .NET runtime itself needs just libc, libm and the loader (libstdc++ and libgcc_s are
# not needed: ILCompiler links its C++ parts statically); libdl, libpthread and librt are glibc's too.
while read -r lib; do
  echo "   $lib"
  case $lib in
    libc.so.6 | libm.so.6 | libdl.so.2 | libpthread.so.0 | librt.so.1 | ld-linux-x86-64.so.2) ;;
    *) fail "NEEDED $lib is not part of glibc" ;;
  esac
done <<<"$needed"

# The malloc arena limit (src/Vega.Lite/Native/malloc_arena_limit.c) is an object the publish links in by hand; a
# publish that dropped it would still run, with peak RSS 5-10 MiB higher. Its getenv string is the sign it is there.
if grep -aq MALLOC_ARENA_MAX "$bin"; then
  ok "the malloc arena limit is linked in"
else
  fail "the malloc arena limit (Native/malloc_arena_limit.c) is not linked into $bin"
fi

echo "== 2. nothing shipped beside the binary"
shipped=$(find "$(dirname "$bin")" -maxdepth 1 -name '*.so*' -printf '%f\n')
if [ -n "$shipped" ]; then
  fail "shared libraries beside the binary (stale from an older publish?): $(echo "$shipped" | tr '\n' ' ')"
else
  ok "no *.so* in $(dirname "$bin")"
fi

echo "== 3. run in a chroot holding only glibc and libssl"
root=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$root"
}
trap cleanup EXIT

# Copies a file and, recursively through ldd, the libraries it loads to the same paths inside the root.
copy_with_libraries() {
  local file=$1 dep
  [ -e "$root$file" ] && return
  mkdir -p "$root$(dirname "$file")"
  cp -L "$file" "$root$file"
  for dep in $(ldd "$file" | grep -o '/[^ ]*'); do copy_with_libraries "$dep"; done
}
for dep in $(ldd "$bin" | grep -o '/[^ ]*'); do copy_with_libraries "$dep"; done
# awk reads to the end (no early exit): under pipefail, ldconfig killed by SIGPIPE would fail the script (exit 141).
libssl=$(ldconfig -p | awk '$1 == "libssl.so.3" && /x86-64/ && !found { print $NF; found = 1 }')
[ -n "$libssl" ] || die "libssl.so.3 is not installed (Debian: libssl3); .NET's crypto needs it"
copy_with_libraries "$libssl"
cp "$bin" "$root/vega-lite"
# .NET reads /dev/urandom (Guid.NewGuid for request activity ids); /dev/null is expected by any process.
mkdir -p "$root/dev" "$root/data"
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/urandom" c 1 9
echo "   the root holds: $(cd "$root" && find . -type f ! -path ./vega-lite | sort | tr '\n' ' ')"
if (cd "$root" && find . -type f | grep -E "$forbidden"); then
  die "the chroot would hold a forbidden library (this host's libssl needs it?): the check cannot prove anything"
fi

cat >"$root/server.toml" <<'EOF'
listen = "127.0.0.1:0"
[database]
url = "sqlite:///data/server.db?mode=rwc"
[storage]
type = "local"
path = "/data/storage"
[compression]
type = "zstd"
[jwt.signing]
token-hs256-secret-base64 = "c3RhdGljIGJpbmFyeSBjaGVjayBvbmx5LCBub3QgYSByZWFsIHNlY3JldA=="
EOF
# A clean environment: no LD_LIBRARY_PATH or LD_PRELOAD from the caller (and chroot's absolute path, PATH is gone).
chroot=$(command -v chroot)
in_root() { env -i "$chroot" "$root" /vega-lite -f /server.toml "$@"; }

token=$(in_root make-token --sub static-check --validity '1 hour' --pull '*' --push '*' --create-cache '*') ||
  die "make-token failed in the chroot"
ok "make-token in the chroot (HS256 through libcrypto)"

env -i "$chroot" "$root" /vega-lite -f /server.toml >"$root/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do   # up to 20 s
  kill -0 "$server_pid" 2>/dev/null || { cat "$root/server.log" >&2; die "the server exited in the chroot"; }
  port=$(ss -Hltnp 2>/dev/null | awk -v pid="pid=$server_pid," 'index($0, pid) && !found { sub(/.*:/, "", $4); print $4; found = 1 }')
  [ -n "$port" ] && break
  sleep 0.2
done
[ -n "$port" ] || { cat "$root/server.log" >&2; die "the server did not listen within 20 s"; }
base="http://127.0.0.1:$port"
echo "   server pid $server_pid listens on $base"

# curl with the token, bounded in time; prints the body and fails on an HTTP error.
call() { curl -sS --fail-with-body --max-time 20 -H "Authorization: bearer $token" "$@"; }
request() { call "$@" || { echo >&2; tail -n 20 "$root/server.log" >&2; die "request failed: $*"; }; }

request -o /dev/null "$base/"
ok "GET / answers"
cache=static-check
request -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"keypair":"Generate","is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}' \
  "$base/_api/v1/cache-config/$cache"
public_key=$(request "$base/_api/v1/cache-config/$cache" | grep -o '"public_key":"[^"]*"' | cut -d'"' -f4)
[[ $public_key == "$cache:"* ]] || die "no public key for $cache: '$public_key'"
ok "cache created with a generated Ed25519 key (libsodium): $public_key"

# Nix's base-32 of a hex SHA-256 digest (bytes read from the end, 5 bits per character).
nix32() {
  local hex=$1 alphabet=0123456789abcdfghijklmnpqrsvwxyz out="" n bit i j c
  local -a b
  for ((i = 0; i < 32; i++)); do b[i]=$((16#${hex:i*2:2})); done
  for ((n = 51; n >= 0; n--)); do
    bit=$((n * 5)); i=$((bit / 8)); j=$((bit % 8))
    c=$((b[i] >> j))
    if ((i < 31)); then c=$((c | (b[i + 1] << (8 - j)))); fi
    out+=${alphabet:c & 31:1}
  done
  echo "$out"
}
le64() { local i; for ((i = 0; i < 8; i++)); do printf '%b' "\\x$(printf %02x $((($1 >> (8 * i)) & 255)))"; done; }
# A NAR string: length, bytes, zero padding to 8 bytes.
nar_str() { le64 "${#1}"; printf '%s' "$1"; printf '%*s' $(((8 - ${#1} % 8) % 8)) '' | tr ' ' '\0'; }
sha256_hex() { sha256sum "$1" | cut -d' ' -f1; }

# Uploads a one-file NAR the way `nix copy` does (NAR, then narinfo), then checks what the cache serves for it.
check_upload() {
  local compression=$1 extension=$2 compressor=$3 work="$root/upload-$1" contents nar_hash nar_size file_hash
  local store_path served sig fingerprint
  mkdir -p "$work"
  contents="vega-lite static binary check, $compression, $(date +%s%N) $(head -c 4000 /dev/zero | tr '\0' x)"
  { nar_str nix-archive-1; nar_str '('; nar_str type; nar_str regular; nar_str contents; nar_str "$contents"; nar_str ')'; } >"$work/nar"
  $compressor <"$work/nar" >"$work/file"
  nar_hash=$(nix32 "$(sha256_hex "$work/nar")")
  nar_size=$(stat -c %s "$work/nar")
  file_hash=$(nix32 "$(sha256_hex "$work/file")")
  store_path="/nix/store/${nar_hash:0:32}-static-check-$compression"
  request -o /dev/null -X PUT --data-binary "@$work/file" "$base/$cache/nar/$file_hash.nar$extension"
  printf 'StorePath: %s\nURL: nar/%s.nar%s\nCompression: %s\nFileHash: sha256:%s\nFileSize: %s\nNarHash: sha256:%s\nNarSize: %s\nReferences: \n' \
    "$store_path" "$file_hash" "$extension" "$compression" "$file_hash" "$(stat -c %s "$work/file")" "$nar_hash" "$nar_size" >"$work/narinfo"
  request -o /dev/null -X PUT -H 'Content-Type: text/x-nix-narinfo' --data-binary "@$work/narinfo" \
    "$base/$cache/${nar_hash:0:32}.narinfo"

  served=$(request "$base/$cache/${nar_hash:0:32}.narinfo")
  grep -qx 'Compression: zstd' <<<"$served" || die "the served narinfo is not zstd-compressed: $served"
  # The signature: Ed25519 over Nix's fingerprint, checked with openssl against the cache's public key.
  sig=$(sed -n "s/^Sig: $cache://p" <<<"$served")
  [ -n "$sig" ] || die "the served narinfo has no signature by $cache: $served"
  fingerprint="1;$store_path;sha256:$nar_hash;$nar_size;"
  printf '%s' "$fingerprint" >"$work/fingerprint"
  base64 -d <<<"$sig" >"$work/sig"
  { printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; base64 -d <<<"${public_key#"$cache:"}"; } >"$work/key.der"
  openssl pkeyutl -verify -pubin -keyform DER -inkey "$work/key.der" -rawin -in "$work/fingerprint" -sigfile "$work/sig" >/dev/null ||
    die "the narinfo signature does not verify"
  request -o "$work/served.zst" "$base/$cache/$(sed -n 's/^URL: //p' <<<"$served")"
  zstd -q -d -c "$work/served.zst" | cmp -s - "$work/nar" || die "the served NAR does not decompress to the uploaded one"
  ok "NAR uploaded as $compression, stored as zstd, served with a valid signature and the same bytes"
}
check_upload xz .xz 'xz -c'
check_upload zstd .zst 'zstd -q -c'
[ -s "$root/data/server.db" ] || die "no SQLite database in the chroot's /data"
ok "SQLite files in the chroot: $(cd "$root/data" && echo server.db*)"

mapped=$(grep -o '/[^ ]*\.so[^ ]*$' "/proc/$server_pid/maps" | sort -u | sed "s|^$root||")
echo "   shared objects mapped in the server: $(echo "$mapped" | tr '\n' ' ')"
if grep -E "$forbidden" <<<"$mapped"; then
  fail "the running server has loaded a library that should be linked in"
else
  ok "no sodium/zstd/lzma/sqlite library mapped in the running server"
fi

if [ "$failures" -gt 0 ]; then
  echo "check-static-binary: $failures check(s) failed" >&2
  exit 1
fi
echo "check-static-binary: $bin is one static file (needs only glibc, and libssl at run time)"
