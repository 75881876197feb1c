#!/usr/bin/env bash
# The flake's dockerTools image (packages.x86_64-linux.image, nix/image.nix) against docker/Dockerfile, without
# nixpkgs: evaluates the flake's outputs with a stand-in nixpkgs whose dockerTools functions return their arguments and
# whose package is a fixed store path, then compares the image's config with the Dockerfile's last stage: USER, VOLUME,
# WORKDIR, the XDG variables, EXPOSE, the entrypoint's name and PATH, the user's passwd entry, and the volume's owner
# and mode. Whether nixpkgs builds it (dockerTools' real arguments, fakeroot) is not tested here.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/common.sh
source tests/common.sh
export NIX_CONFIG=$nix_offline_config
dockerfile=docker/Dockerfile
status=0
fail() { echo "FAIL: $*"; status=1; }
pass() { echo "ok: $*"; }

package=/nix/store/00000000000000000000000000000000-vega-lite-server-0.1.0
json=$(nix-instantiate --eval --strict --json -E "
  let
    dockerTools = {
      buildLayeredImage = args: args;
      fakeNss.override = lines: lines;
      caCertificates = \"/nix/store/00000000000000000000000000000000-ca-certificates\";
    };
    pkgs.callPackage = path: args:
      if baseNameOf path == \"package.nix\" then \"$package\" else import path ({ inherit dockerTools; } // args);
    flake = import ./flake.nix;
    outputs = flake.outputs { self = outputs; nixpkgs.legacyPackages.x86_64-linux = pkgs; };
  in outputs.packages.x86_64-linux.image" 2>&1) || { echo "$json"; echo "FAIL: the flake's image does not evaluate"; exit 1; }
pass "the flake's packages.x86_64-linux.image evaluates (stand-in dockerTools)"

# The Dockerfile's last stage, continuation lines joined, as docker/smoke.sh reads it.
stage=$(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba}' "$dockerfile" | awk '/^FROM /{s=""} {s=s $0 "\n"} END{printf "%s", s}')
instruction() { sed -n "s/^$1 //p" <<<"$stage" | tail -n1; }
env_of() { sed -n "s/^ENV $1=//p" <<<"$stage"; }
image() { jq -r "$1" <<<"$json"; }
user=$(instruction USER)
volume=$(instruction VOLUME | sed -n 's/^\["\([^"]*\)"\]$/\1/p')
entrypoint=$(instruction ENTRYPOINT | sed -n 's/^\["\([^"]*\)"\]$/\1/p')

check() {   # WHAT GOT WANT
  if [ "$2" = "$3" ]; then pass "$1: $2"; else fail "$1 is '$2', the Dockerfile's '$3'"; fi
}
check User "$(image .config.User)" "$user"
check Volumes "$(image '.config.Volumes | keys | join(" ")')" "$volume"
check WorkingDir "$(image .config.WorkingDir)" "$(instruction WORKDIR)"
for name in XDG_CONFIG_HOME XDG_DATA_HOME; do
  check "$name" "$(image ".config.Env[] | select(startswith(\"$name=\")) | ltrimstr(\"$name=\")")" "$(env_of "$name")"
done
check ExposedPorts "$(image '.config.ExposedPorts | keys | join(" ")')" "$(instruction EXPOSE)/tcp"
# The package's bin/ in place of /opt/vega-lite: the entrypoint by the same name, atticd and atticadm on PATH.
check Entrypoint "$(image '.config.Entrypoint | join(" ")')" "$package/bin/$(basename "$entrypoint")"
check "PATH's first directory" "$(image '.config.Env[] | select(startswith("PATH=")) | ltrimstr("PATH=") | split(":")[0]')" \
  "$package/bin"
# useradd --uid U --gid G --home-dir H … --shell S NAME, as a passwd line.
passwd=$(sed -n 's/.*useradd --uid \([0-9]*\) --gid \([0-9]*\) --home-dir \([^ ]*\) .*--shell \([^ ]*\) \([a-z-]*\).*/\5:x:\1:\2:\5:\3:\4/p' \
  <<<"$stage")
check "the passwd entry" "$(image '.contents[0].extraPasswdLines | join(" ")')" "$passwd"
# install -d -o U -g G -m MODE VOLUME, run in the image's root.
made=$(sed -n "s|.*\(install -d -o [0-9]* -g [0-9]* -m [0-7]*\) $volume.*|\1 .$volume|p" <<<"$stage")
check "the volume's making" "$(image '.fakeRootCommands' | grep -F " .$volume")" "$made"
exit $status
