#!/bin/bash
# Builds the lab guest's disk images: a plain ext4 data disk and a pygrub boot disk.
# usage: mk-guest-disks.sh VMLINUZ GUEST-INITRD OUTDIR
# Each filesystem stops 1 MiB short of the image end: the guest keeps its
# reboot-once flag in the last 4 KiB (see guest-init).
set -euo pipefail
VMLINUZ=$1 INITRD=$2 OUT=$3

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

mkdisk() { # mkdisk SRCDIR IMG SIZE_MB
    rm -f "$2"
    mkfs.ext4 -q -F -L "$(cat "$1/xlab-label")" -d "$1" "$2" "${3}M"
    truncate -s "$(($3 + 1))M" "$2"
}

mkdir -p "$W/data"
echo dom01-disk >"$W/data/xlab-label"
echo "written by the xl-toolstack lab" >"$W/data/README"
mkdisk "$W/data" "$OUT/dom01-disk.img" 32

# pygrub reads /boot/grub/grub.cfg. timeout=0 would make pygrub 4.17 wait
# for a key forever (without -q), so the menu counts down one second.
mkdir -p "$W/pygrub/boot/grub"
echo dom01-pygrub >"$W/pygrub/xlab-label"
cp "$VMLINUZ" "$W/pygrub/boot/vmlinuz"
cp "$INITRD" "$W/pygrub/boot/initrd.gz"
cat >"$W/pygrub/boot/grub/grub.cfg" <<'CFG'
set default=0
set timeout=1
menuentry 'xl-toolstack lab guest (pygrub)' {
    linux /boot/vmlinuz console=hvc0 loglevel=4 root=/dev/xvda xlab.boot=pygrub
    initrd /boot/initrd.gz
}
CFG
mkdisk "$W/pygrub" "$OUT/dom01-pygrub.img" 64
