#!/bin/sh
# Install everything xl-toolstack needs to build, test and run its lab, from
# Debian's packages. Idempotent; needs root (apt-get).
# usage: scripts/install-deps.sh [--build-only]
set -eu

BUILD="autoconf automake libtool make pkg-config gcc clang libclang-rt-14-dev
libxen-dev libyajl-dev uuid-dev libcmocka-dev
liblzma-dev zlib1g-dev libzstd-dev liblz4-dev libbz2-dev nettle-dev
clang-format shellcheck valgrind python3 ca-certificates"
LAB="qemu-system-x86 qemu-utils debootstrap e2fsprogs busybox-static cpio
file xz-utils zstd gzip bsdutils util-linux grub-pc-bin grub-common xorriso
mtools"

pkgs="$BUILD"
[ "${1:-}" = "--build-only" ] || pkgs="$pkgs $LAB"

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
        grep -q '^install ok installed$' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: need root to install:$missing" >&2
    exit 1
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing >&2
