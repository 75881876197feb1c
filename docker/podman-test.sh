#!/usr/bin/env bash
# docker/Dockerfile built and run for real, with podman, on a machine with no container registry (Debian bookworm as
# root; only deb.debian.org and NuGet reachable):
#   1. the bases, made locally and cached in podman's storage (skipped when the image exists):
#        localhost/vega-lite-base:bookworm   debootstrap --variant=minbase bookworm, `podman import`ed: the runtime base
#        localhost/vega-lite-sdk:bookworm    that base plus ca-certificates, libicu72, libssl3 and the host's
#                                            /usr/share/dotnet (the .NET 10 SDK), in place of mcr's sdk:10.0-noble
#   2. `podman build -f docker/Dockerfile` with SDK_IMAGE, RUNTIME_IMAGE and LIBSSL_PACKAGE=libssl3: the build stage
#      runs docker/build-binary.sh inside the container (apt-get from deb.debian.org, NuGet restore, AOT publish);
#   3. `podman run` with a fresh named volume at /var/lib/vega-lite and the port published on 127.0.0.1, then checks:
#      the server runs as 65532:65532; the first start wrote its config and database into the volume, owned by 65532;
#      GET / answers; `atticadm make-token` (podman exec, as the image's user) mints a token that creates a cache over
#      Attic's API; `nix copy --to` pushes a store path made with nix-store --add; `nix copy --from` (signatures
#      required) and a plain GET of the narinfo and NAR pull it back byte for byte; after `podman stop` (SIGTERM) and
#      start, and again in a new container on the same volume, the config, key, cache and NAR are still there.
# What differs from a Docker engine on this machine, all set in a private configuration under STATE (nothing in /etc
# is edited): podman's storage, network config and runtime directories live under STATE; the OCI runtime is runc, as
# crun 1.8 refuses this host's hybrid cgroup v1/v2 layout; the containers' nofile and nproc limits are set to what
# this process may grant, as the sandbox lacks CAP_SYS_RESOURCE to raise them; TLS egress here is re-signed by the
# sandbox's CA, so the SDK base trusts the host's CA bundle (the runtime image gets Debian's ca-certificates only).
#
#   bash docker/podman-test.sh
#
# STATE is $VEGA_PODMAN_STATE (default /var/tmp/vega-lite-podman): delete it for a cold run (bases, layers, NuGet
# cache). Needs root, podman, runc, containernetworking-plugins, iptables, debootstrap, curl, nix-bin (installed by
# scripts/install-test-deps.sh). Exits 0 when every check passes, non-zero with a FAIL line otherwise, 77 when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${VEGA_PODMAN_STATE:-/var/tmp/vega-lite-podman}
mirror=http://deb.debian.org/debian
suite=bookworm
base=localhost/vega-lite-base:$suite
sdk=localhost/vega-lite-sdk:$suite
image=localhost/vega-lite:podman-test
name=vega-lite-podman-test-$$
volume=vega-lite-podman-test-$$

if [ "$(id -u)" != 0 ]; then
  echo "podman-test: skipped: needs root (rootful podman, debootstrap)"
  exit 77
fi
passed=0
started=$SECONDS
ok() { passed=$((passed + 1)); echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($((SECONDS - started)) s)"; }
for tool in podman runc debootstrap curl nix nix-store sha256sum zstd xz; do
  command -v "$tool" >/dev/null || die "$tool is missing: bash scripts/install-test-deps.sh"
done

# --- podman's private configuration ---
mkdir -p "$state/cni" "$state/tmp" "$state/nuget"
cat >"$state/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$state/storage"
runroot = "$state/run"
EOF
# Podman keeps its own nproc hard limit at 32768 and cannot raise nofile past the host's hard limit: a container
# asking for more (podman's default for root is 1048576) fails with "setrlimit: Operation not permitted".
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
cat >"$state/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$state/tmp"
[network]
network_backend = "cni"
network_config_dir = "$state/cni"
EOF
# Nothing resolves to a registry: an image name that is not local fails instead of trying docker.io.
cat >"$state/registries.conf" <<EOF
unqualified-search-registries = []
short-name-mode = "disabled"
EOF
export CONTAINERS_STORAGE_CONF=$state/storage.conf CONTAINERS_CONF=$state/containers.conf
export CONTAINERS_REGISTRIES_CONF=$state/registries.conf

scratch=$(mktemp -d /tmp/vega-podman.XXXXXX)
cleanup() {
  local c
  for c in "$name" "$name-2"; do timeout 60 podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  timeout 60 podman volume rm -f "$volume" >/dev/null 2>&1 || true
  rm -rf "$scratch" "$state/rootfs.$$"
}
trap cleanup EXIT

# --- 1. the bases ---
step "1. local base images"
if timeout 60 podman image exists "$base"; then
  ok "$base exists (cached)"
else
  rootfs=$state/rootfs.$$
  echo "debootstrap --variant=minbase $suite from $mirror"
  timeout 900 debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$scratch/debootstrap.log" 2>&1 ||
    { tail -n 20 "$scratch/debootstrap.log" >&2; die "debootstrap failed"; }
  # What podman mounts over at run time, and what debootstrap keeps of its downloads.
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
  timeout 600 tar -C "$rootfs" --numeric-owner -c . |
    timeout 600 podman import -q --change 'CMD ["/bin/bash"]' - "$base" >/dev/null || die "podman import failed"
  rm -rf "$rootfs"
  ok "$base made with debootstrap and podman import"
fi
if timeout 60 podman image exists "$sdk"; then
  ok "$sdk exists (cached)"
else
  [ -x /usr/share/dotnet/dotnet ] || die "the host has no .NET SDK in /usr/share/dotnet"
  # The packages and environment of mcr's runtime-deps and sdk images, by Debian's names. The host's CA bundle: egress
  # TLS is re-signed here by the sandbox's CA. NuGet's revocation check offline, as the host's environment sets it.
  sdk_file=$scratch/sdk.Containerfile
  cat >"$sdk_file" <<EOF
FROM $base
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata \\
 && rm -rf /var/lib/apt/lists/* \\
 && cp -a /mnt/dotnet /usr/share/dotnet \\
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && cp /mnt/host-ca.crt /etc/ssl/certs/ca-certificates.crt
ENV DOTNET_NOLOGO=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false NUGET_XMLDOC_MODE=skip
ENV NUGET_CERT_REVOCATION_MODE=offline
EOF
  timeout 900 podman build --network host -t "$sdk" -f "$sdk_file" \
    -v /usr/share/dotnet:/mnt/dotnet:ro -v /etc/ssl/certs/ca-certificates.crt:/mnt/host-ca.crt:ro \
    "$scratch" >"$scratch/sdk-build.log" 2>&1 ||
    { tail -n 30 "$scratch/sdk-build.log" >&2; die "building $sdk failed"; }
  ok "$sdk made from $base and the host's /usr/share/dotnet ($(/usr/share/dotnet/dotnet --version))"
fi

# --- 2. podman build ---
step "2. podman build -f docker/Dockerfile"
# --network host: the build stage reaches deb.debian.org and NuGet directly. The NuGet cache is a build volume (not
# in any layer), so a rebuild after a source change does not download the packages again. The build stage is built
# and tagged first (the second build reuses it), so that `image prune` afterwards drops only the stages and images
# that earlier builds left untagged, and STATE does not grow by a build stage (about 1.8 GB) per source change.
build_started=$SECONDS
build_args=(--network host -f docker/Dockerfile --build-arg SDK_IMAGE="$sdk" --build-arg RUNTIME_IMAGE="$base"
  --build-arg LIBSSL_PACKAGE=libssl3 -v "$state/nuget:/root/.nuget/packages")
if ! timeout 2400 podman build "${build_args[@]}" --target build -t "$image-build" . >"$scratch/build.log" 2>&1 ||
  ! timeout 600 podman build "${build_args[@]}" -t "$image" . >>"$scratch/build.log" 2>&1; then
  tail -n 40 "$scratch/build.log" >&2
  die "podman build failed (log above)"
fi
how="every layer cached"
if grep -q '^built into /out' "$scratch/build.log"; then how="the build stage ran docker/build-binary.sh"; fi
ok "podman build -f docker/Dockerfile: $image in $((SECONDS - build_started)) s ($how)"
timeout 120 podman image prune -f >/dev/null || true
config=$(timeout 60 podman image inspect "$image" \
  --format '{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Volumes}}')
[[ "$config" == '65532:65532 ["/opt/vega-lite/vega-lite"] {"/var/lib/vega-lite":{}}' ]] ||
  die "the image's user, entrypoint and volume: $config"
ok "the image: USER 65532:65532, ENTRYPOINT /opt/vega-lite/vega-lite, VOLUME /var/lib/vega-lite"

# --- 3. podman run ---
free_port() {
  local port _
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
running() { [ "$(timeout 30 podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
wait_http() {   # CONTAINER URL: until GET answers 2xx, for at most 60 s, as long as the container runs
  local _
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null --max-time 2 "$2" 2>/dev/null && return 0
    running "$1" || return 1
    sleep 0.25
  done
  return 1
}
logs() { timeout 30 podman logs "$1" 2>&1 | tail -n 30; }
port=$(free_port) || die "no free port"
base_url=http://127.0.0.1:$port
run_container() {   # NAME: detached, the volume mounted, port 8080 published on 127.0.0.1:$port
  timeout 120 podman run -d --name "$1" -p "127.0.0.1:$port:8080" -v "$volume:/var/lib/vega-lite" "$image" >/dev/null ||
    die "podman run $1 failed"
  wait_http "$1" "$base_url/" || { logs "$1" >&2; die "$1 does not answer on $base_url"; }
}
server_ids() {   # CONTAINER: uid:gid of its main process, as the host sees it
  local pid
  pid=$(timeout 30 podman inspect --format '{{.State.Pid}}' "$1")
  awk '/^Uid:/ {u=$2} /^Gid:/ {g=$2} END {print u ":" g}' "/proc/$pid/status"
}

step "3. podman run: first start in a new volume"
timeout 60 podman volume create "$volume" >/dev/null
run_started=$SECONDS
run_container "$name"
ok "podman run -p 127.0.0.1:$port:8080 -v $volume:/var/lib/vega-lite: GET / answers in $((SECONDS - run_started)) s"
[ "$(server_ids "$name")" = 65532:65532 ] || die "the server runs as $(server_ids "$name"), not 65532:65532"
[ "$(timeout 30 podman exec "$name" id -u):$(timeout 30 podman exec "$name" id -g)" = 65532:65532 ] ||
  die "podman exec does not run as 65532:65532"
ok "the server, and podman exec, run as 65532:65532"
if timeout 30 podman exec "$name" touch /opt/vega-lite/probe 2>/dev/null; then
  die "the image's user can write /opt/vega-lite"
fi
ok "the image's user cannot write /opt/vega-lite"

mountpoint=$(timeout 30 podman volume inspect --format '{{.Mountpoint}}' "$volume")
owner() { stat -c '%u:%g %a' "$1"; }
[ "$(owner "$mountpoint")" = "65532:65532 750" ] ||
  die "the volume's root is $(owner "$mountpoint"), not 65532:65532 750"
for file in config/attic/server.toml attic/server.db; do
  [ -f "$mountpoint/$file" ] || die "the first start wrote no $file into the volume"
  [[ "$(owner "$mountpoint/$file")" == "65532:65532 "* ]] || die "$file is $(owner "$mountpoint/$file"), not 65532's"
done
[ "$(owner "$mountpoint/config/attic/server.toml")" = "65532:65532 600" ] || die "server.toml is not mode 600"
ok "the first start wrote config/attic/server.toml (600) and attic/server.db into the volume, owned by 65532:65532"
config_hash=$(sha256sum <"$mountpoint/config/attic/server.toml")
first_log=$(timeout 30 podman logs "$name" 2>&1)
root_token=$(sed -n 's|^ *attic login local http://localhost:8080 \([^ ]*\)$|\1|p' <<<"$first_log")
[ -n "$root_token" ] || { logs "$name" >&2; die "the first start printed no attic login line"; }
ok "the first start printed an attic login line with a token"

step "push"
cache=podman-test
token=$(timeout 60 podman exec "$name" atticadm make-token --sub podman-test --validity '1 hour' \
  --pull 'podman-*' --push 'podman-*' --create-cache 'podman-*') || die "podman exec atticadm make-token failed"
ok "podman exec $name atticadm make-token (as 65532, config from the volume) minted a token"
code=$(curl -s -o "$scratch/create.out" -w '%{http_code}' --max-time 10 -XPOST -H "Authorization: bearer $token" \
  -H 'Content-Type: application/json' \
  -d '{"keypair":"Generate","is_public":false,"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":[]}' \
  "$base_url/_api/v1/cache-config/$cache")
[ "$code" = 200 ] || die "POST /_api/v1/cache-config/$cache answered $code: $(cat "$scratch/create.out")"
public_key=$(curl -fsS --max-time 10 -H "Authorization: bearer $token" "$base_url/_api/v1/cache-config/$cache" |
  sed -n 's/.*"public_key":"\([^"]*\)".*/\1/p')
[ -n "$public_key" ] || die "the cache's config has no public_key"
ok "POST /_api/v1/cache-config/$cache with that token created the cache ($public_key)"

# Nix as the e2e tests run it: root, single-user, offline, a private netrc and client cache.
nix_dir=$scratch/nix
mkdir -p "$nix_dir/payload"
printf 'machine 127.0.0.1\nlogin vega\npassword %s\n' "$token" >"$nix_dir/netrc"
export NIX_CONFIG="experimental-features = nix-command
sandbox = false
build-users-group =
substituters =
netrc-file = $nix_dir/netrc
narinfo-cache-negative-ttl = 0
narinfo-cache-positive-ttl = 0"
export XDG_CACHE_HOME=$nix_dir/cache HOME=$nix_dir
head -c 200000 /dev/urandom >"$nix_dir/payload/blob"
echo "podman-test $$ $(date +%s%N)" >"$nix_dir/payload/README"
path=$(timeout 120 nix-store --add "$nix_dir/payload") || die "nix-store --add failed"
timeout 300 nix copy --to "$base_url/$cache?compression=none" "$path" >"$scratch/push.log" 2>&1 ||
  { cat "$scratch/push.log" >&2; logs "$name" >&2; die "nix copy --to failed"; }
ok "nix copy --to $base_url/$cache?compression=none $path"

step "pull"
check_pull() {   # LABEL: the narinfo and NAR over plain HTTP, then nix copy --from, both equal to the local path
  local hash narinfo url store compression
  hash=$(basename "$path"); hash=${hash%%-*}
  narinfo=$(curl -fsS --max-time 10 --netrc-file "$nix_dir/netrc" "$base_url/$cache/$hash.narinfo") ||
    die "$1: GET /$cache/$hash.narinfo failed"
  grep -qx "StorePath: $path" <<<"$narinfo" || die "$1: the narinfo names another path: $narinfo"
  grep -q "^Sig: ${public_key%%:*}:" <<<"$narinfo" || die "$1: the narinfo has no signature by the cache's key"
  url=$(sed -n 's/^URL: //p' <<<"$narinfo")
  curl -fsS --max-time 30 --netrc-file "$nix_dir/netrc" -o "$scratch/pulled.nar" "$base_url/$cache/$url" ||
    die "$1: GET /$cache/$url failed"
  nix-store --dump "$path" >"$scratch/local.nar"
  compression=$(sed -n 's/^Compression: //p' <<<"$narinfo")
  case "$compression" in
    none) cp "$scratch/pulled.nar" "$scratch/pulled.raw" ;;
    zstd) zstd -dqf "$scratch/pulled.nar" -o "$scratch/pulled.raw" ;;
    xz) xz -dc "$scratch/pulled.nar" >"$scratch/pulled.raw" ;;
    *) die "$1: the narinfo names compression '$compression'" ;;
  esac
  cmp -s "$scratch/local.nar" "$scratch/pulled.raw" ||
    die "$1: the NAR served ($compression, $(stat -c %s "$scratch/pulled.nar") bytes) differs from nix-store --dump \
($(stat -c %s "$scratch/local.nar") bytes); the narinfo: $narinfo"
  ok "$1: GET narinfo (signed by the cache's key) and NAR ($compression, $(stat -c %s "$scratch/pulled.nar") bytes) \
equal nix-store --dump"
  store=$nix_dir/pulled-$RANDOM
  timeout 300 nix copy --from "$base_url/$cache" --to "$store" "$path" \
    --option require-sigs true --option trusted-public-keys "$public_key" >"$scratch/pull.log" 2>&1 ||
    { cat "$scratch/pull.log" >&2; die "$1: nix copy --from failed"; }
  cmp -s "$scratch/local.nar" <(nix-store --dump "$store$path") || die "$1: nix copy --from gave other bytes"
  ok "$1: nix copy --from (signatures required, only the cache's key trusted) gave the same bytes"
}
check_pull "pull"

step "restart: podman stop (SIGTERM) and start"
stop_started=$SECONDS
timeout 60 podman stop -t 10 "$name" >/dev/null || die "podman stop failed"
stopped_in=$((SECONDS - stop_started))
exit_code=$(timeout 30 podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$exit_code" = 0 ] || { logs "$name" >&2; die "after SIGTERM the server exited $exit_code, not 0"; }
[ "$stopped_in" -lt 10 ] || die "the server took $stopped_in s to stop on SIGTERM (podman's SIGKILL came at 10 s)"
ok "podman stop: the server exited 0 on SIGTERM within $stopped_in s"
timeout 60 podman start "$name" >/dev/null || die "podman start failed"
wait_http "$name" "$base_url/" || { logs "$name" >&2; die "the restarted container does not answer"; }
ok "podman start: the same container answers again"
check_persisted() {   # LABEL
  [ "$(sha256sum <"$mountpoint/config/attic/server.toml")" = "$config_hash" ] || die "$1: server.toml changed"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: bearer $root_token" \
    "$base_url/_api/v1/cache-config/$cache")
  [ "$code" = 200 ] || die "$1: the first start's root token answered $code"
  ok "$1: the config is unchanged and the first start's token (same signing key) still works"
  check_pull "$1"
}
check_persisted "after restart"

step "a new container on the same volume"
timeout 60 podman rm -f -t 10 "$name" >/dev/null
run_container "$name-2"
second_log=$(timeout 30 podman logs "$name-2" 2>&1)
if grep -q 'attic login' <<<"$second_log"; then die "the new container ran a first start again"; fi
ok "a new container on $volume started from the stored config (no second first start)"
check_persisted "new container"

step "done"
echo "podman-test: all $passed checks passed in $((SECONDS - started)) s"
