#!/bin/bash
# Builds the lab dom0's tiny initramfs: loads virtio + ext4, mounts root=, switch_roots to init=.
# usage: mk-dom0-initramfs.sh ROOTFS KVER OUT.cpio.gz
# Replaces Debian's initramfs-tools image: building that one twice during
# debootstrap cost minutes on a loaded host, and booting it costs ~8 s.
set -euo pipefail
ROOTFS=$1 KVER=$2 OUT=$3
BB=$(command -v busybox) || { echo "need busybox-static on the host" >&2; exit 1; }
file -L "$BB" | grep -q 'statically linked' ||
    { echo "need busybox-static on the host ($BB is dynamic)" >&2; exit 1; }

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W"/{bin,proc,sys,dev,newroot,lib/modules}
cp "$BB" "$W/bin/busybox"
for a in sh mount umount insmod switch_root echo cat sleep mkdir poweroff; do
    ln -s busybox "$W/bin/$a"
done
: >"$W/lib/modules/order"
for m in virtio_pci virtio_blk crc32c_generic ext4; do
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
cat >"$W/init" <<'EOI'
#!/bin/sh
# The lab dom0's initramfs /init: root= (ext4 on virtio) and init= from the command line.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
root=/dev/vda init=/sbin/init
for w in $(cat /proc/cmdline); do
    case $w in root=*) root=${w#root=} ;; init=*) init=${w#init=} ;; esac
done
while read -r m; do insmod "/lib/modules/$m" 2>/dev/null; done </lib/modules/order
i=0
while [ ! -b "$root" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if ! mount -t ext4 -o rw "$root" /newroot; then
    echo "XLAB-FATAL: dom0 initramfs cannot mount $root"
    sleep 2
    poweroff -f
fi
mount --move /dev /newroot/dev
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
exec switch_root /newroot "$init"
EOI
chmod 755 "$W/init"
(cd "$W" && find . | cpio -o -H newc --quiet | gzip -9) >"$OUT"
