#!/bin/bash
# Builds the lab guest's busybox initramfs: PV/HVM drivers, ext4, and guest-init as /init.
# usage: mk-guest-initramfs.sh ROOTFS KVER OUT.cpio.gz
# Modules come from the dom0 root (same kernel as the guest); dependencies
# are resolved with the root's modprobe so they load in order with insmod.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOTFS=$1 KVER=$2 OUT=$3
BB=$(command -v busybox) || { echo "need busybox-static on the host" >&2; exit 1; }
file -L "$BB" | grep -q 'statically linked' ||
    { echo "need busybox-static on the host ($BB is dynamic)" >&2; exit 1; }

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W"/{bin,sbin,proc,sys,dev,mnt,tmp,lib/modules}
cp "$BB" "$W/bin/busybox"
for a in sh mount umount cat echo ls insmod poweroff reboot sleep ip mkdir \
    dmesg grep head tail uname sync dd readlink basename tr cut sed ping \
    seq wc od hexdump date true false test [ printf awk; do
    ln -s busybox "$W/bin/$a"
done

# Modules in load order, deduplicated (PV block/net, ext4 to read the
# disk, and the emulated devices an HVM guest may keep).
: >"$W/lib/modules/order"
for m in xen-blkfront xen-netfront ext4 ata_piix sd_mod e1000; do
    chroot "$ROOTFS" modprobe -S "$KVER" --show-depends "$m" 2>/dev/null |
        awk '$1 == "insmod" {print $2}' | while read -r f; do
        b=$(basename "$f")
        b=${b%.xz}
        grep -qxF "$b" "$W/lib/modules/order" && continue
        case $f in
        *.xz) xz -dc "$ROOTFS$f" >"$W/lib/modules/$b" ;;
        *) cp "$ROOTFS$f" "$W/lib/modules/$b" ;;
        esac
        echo "$b" >>"$W/lib/modules/order"
    done
done
grep -q '^xen-blkfront.ko$' "$W/lib/modules/order" ||
    { echo "xen-blkfront not found for kernel $KVER" >&2; exit 1; }

install -m 755 "$HERE/guest-init" "$W/init"
# The guest kernel runs these on `xl shutdown` / `xl reboot` (orderly
# poweroff/reboot): without them a control request would be ignored.
printf '#!/bin/sh\nexec /init --poweroff\n' >"$W/sbin/poweroff"
printf '#!/bin/sh\nexec /init --reboot\n' >"$W/sbin/reboot"
chmod 755 "$W/sbin/poweroff" "$W/sbin/reboot"
(cd "$W" && find . | cpio -o -H newc --quiet | gzip -9) >"$OUT"
