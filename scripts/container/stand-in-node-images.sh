#!/usr/bin/env bash
# Makes stand-ins for the Dockerfile's two base images, node:20-bookworm and node:20-bookworm-slim,
# where image registries are unreachable: Debian bookworm from Debian's packages (mmdebstrap) and
# this machine's Node 20 laid out as the official images lay it out (/usr/local/bin/node, npm in
# /usr/local/lib/node_modules/npm, headers in /usr/local/include/node, user `node` 1000). They carry
# this machine's CA bundle, so that npm in a build trusts what the host trusts.
# An image is made again only when the Node version or the CA bundle changed (a label records both).
# Usage: scripts/container/stand-in-node-images.sh [engine]   (engine: podman, the default, or docker)
set -euo pipefail

engine=${1:-podman}
node_bin=$(command -v node)
node_prefix=$(cd "$(dirname "$(readlink -f "$node_bin")")/.." && pwd)
node_version=$("$node_bin" --version)
case $node_version in v20.*) ;; *) echo "stand-in-node-images: Node 20 is needed, this is $node_version" >&2; exit 2 ;; esac
ca_bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
# Bump the last word when the layout made here changes.
key="$node_version $(sha256sum "$ca_bundle" | cut -c1-16) 2"

# The official images install every build tool node-gyp needs in the full one (buildpack-deps).
full_packages=ca-certificates,curl,git,g++,make,python3,procps,openssh-client,xz-utils
slim_packages=
# debian:bookworm-slim (debuerreotype) leaves documentation out of every package installed later.
slim_dpkgopts=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/groff/*'
  --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*')

make_image() { # tag packages [mmdebstrap options]
  local tag=$1 packages=$2
  shift 2
  if [ "$("$engine" image inspect --format '{{index .Labels "iobench.stand-in"}}' "$tag" 2>/dev/null)" = "$key" ]; then
    echo "stand-in-node-images: $tag is up to date ($key)"
    return
  fi
  echo "stand-in-node-images: making $tag (Node $node_version, Debian bookworm)"
  local include=()
  [ -n "$packages" ] && include=(--include="$packages")
  mmdebstrap --quiet --variant=minbase "${include[@]}" "$@" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    --customize-hook="mkdir -p \"\$1/usr/local/bin\" \"\$1/usr/local/lib/node_modules\" \"\$1/usr/local/include\" \"\$1/usr/local/etc\" \"\$1/etc/ssl/certs\"" \
    --customize-hook="cp -a '$node_prefix/bin/node' \"\$1/usr/local/bin/node\"" \
    --customize-hook="cp -a '$node_prefix/lib/node_modules/npm' \"\$1/usr/local/lib/node_modules/npm\"" \
    --customize-hook="cp -a '$node_prefix/include/node' \"\$1/usr/local/include/node\"" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook="cp '$ca_bundle' \"\$1/usr/local/etc/host-ca-certificates.crt\"" \
    --customize-hook='echo "cafile=/usr/local/etc/host-ca-certificates.crt" > "$1/usr/local/etc/npmrc"' \
    --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    bookworm - http://deb.debian.org/debian |
    "$engine" import --quiet \
      --change "ENV NODE_VERSION=${node_version#v}" \
      --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/etc/host-ca-certificates.crt' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "LABEL iobench.stand-in=\"$key\"" \
      --change 'CMD ["node"]' \
      - "$tag" >/dev/null
}

make_image docker.io/library/node:20-bookworm "$full_packages"
make_image docker.io/library/node:20-bookworm-slim "$slim_packages" "${slim_dpkgopts[@]}"
