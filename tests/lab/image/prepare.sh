#!/bin/bash
# Builds the lab's cached assets (Xen, dom0 root image, guest kernel/initrd/disks) into a new directory.
#
# usage: prepare.sh OUTDIR
# Called by lab.sh under the cache lock with a fresh temporary OUTDIR that
# lab.sh renames into place when this script succeeds. Everything in this
# directory (tests/lab/image/) is hashed into the cache key, so changing
# how the image is shaped rebuilds it; scripts that run at boot time are
# shipped over 9p instead and never force a rebuild.
# Needs root (debootstrap, chroot) and the host packages listed in
# scripts/install-deps.sh. Environment: XL_LAB_MIRROR overrides the Debian
# mirror taken from the host's apt configuration.
set -euo pipefail

# Everything runs inside main so that bash has read the whole file before
# it starts: editing this script while a prepare runs cannot derail it.
main() {

    HERE=$(cd "$(dirname "$0")" && pwd)
    OUT=${1:?usage: prepare.sh OUTDIR}
    T0=$SECONDS

    # Packages of the dom0 root. debootstrap resolves the first set; the second
    # is installed by apt afterwards (it needs bookworm-security to line up
    # with the hypervisor and the host's libxen-dev).
    BOOTSTRAP_PKGS=(xen-utils-4.17 xenstore-utils linux-image-amd64 iproute2 busybox
        kmod udev procps bsdutils python3 util-linux e2fsprogs libyajl2 libuuid1
        strace)
    EXTRA_PKGS=(qemu-system-xen seabios)

    phase() { echo "lab: [$((SECONDS - T0))s] prepare: $*" >&2; }
    die() { echo "lab: prepare: $*" >&2; exit 1; }

    # shellcheck disable=SC2016 # $(SITE) is apt's format, not shell
    mirrors() { apt-get indextargets --format '$(SITE)' 2>/dev/null | sort -u; }
    MIRROR=${XL_LAB_MIRROR:-$(mirrors | grep -v -- '-security' | head -n 1)}
    SECURITY=$(mirrors | grep -- '-security' | head -n 1)
    [ -n "$MIRROR" ] || die "no Debian mirror in the host's apt configuration"
    [ -n "$SECURITY" ] || SECURITY=${MIRROR%/debian}/debian-security

    [ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
    # Debian's kernel hook then skips initramfs-tools (slow, built twice during
    # debootstrap): the lab boots its own tiny initramfs (mk-dom0-initramfs.sh).
    export INITRD=No
    mkdir -p "$OUT"
    W=$OUT/work
    mkdir -p "$W/debs"
    R=$W/rootfs

    # shellcheck disable=SC2317 # run by the EXIT trap
    cleanup() {
        if mountpoint -q "$R/proc" 2>/dev/null; then umount "$R/proc"; fi
    }
    trap cleanup EXIT

    phase "fetching the hypervisor package (mirror $MIRROR)"
    (cd "$W/debs" && apt-get download -q xen-hypervisor-4.17-amd64) \
        >"$OUT/fetch.log" 2>&1 || die "apt-get download failed: $(tail -n 3 "$OUT/fetch.log")"
    dpkg -x "$W"/debs/xen-hypervisor-4.17-amd64_*.deb "$W/xenhv"
    zcat "$W"/xenhv/boot/xen-4.17-amd64.gz >"$OUT/xen.elf"
    dpkg-deb -f "$W"/debs/xen-hypervisor-4.17-amd64_*.deb Version >"$W/hv.version"

    phase "debootstrap of the dom0 root (log: $OUT/debootstrap.log)"
    debootstrap --variant=minbase --include="$(IFS=,; echo "${BOOTSTRAP_PKGS[*]}")" \
        bookworm "$R" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 ||
        die "debootstrap failed: $(tail -n 5 "$OUT/debootstrap.log")"

    phase "bookworm-security upgrade and HVM device model (log: $OUT/apt.log)"
    echo "deb $SECURITY bookworm-security main" >>"$R/etc/apt/sources.list"
    # Keep package scripts from starting daemons inside the chroot on the host.
    printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
    chmod 755 "$R/usr/sbin/policy-rc.d"
    mount -t proc proc "$R/proc"
    {
        chroot "$R" apt-get update -q &&
            DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get -y -q upgrade &&
            DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get -y -q \
                install --no-install-recommends "${EXTRA_PKGS[@]}"
    } >"$OUT/apt.log" 2>&1 || die "apt in the dom0 root failed: $(tail -n 5 "$OUT/apt.log")"
    chroot "$R" apt-get clean
    umount "$R/proc"
    rm -rf "$R"/var/lib/apt/lists/* "$R/usr/sbin/policy-rc.d"

    KVER=$(find "$R/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
    [ -n "$KVER" ] || die "no kernel in the dom0 root"
    cp "$R/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
    "$HERE/mk-dom0-initramfs.sh" "$R" "$KVER" "$OUT/initrd.img"

    phase "guest kernel, initramfs and disks"
    G=$R/var/lib/xl-lab
    mkdir -p "$G"
    cp "$R/boot/vmlinuz-$KVER" "$G/vmlinuz"
    "$HERE/mk-guest-initramfs.sh" "$R" "$KVER" "$G/guest-initrd.gz"
    "$HERE/mk-guest-disks.sh" "$R/boot/vmlinuz-$KVER" "$G/guest-initrd.gz" "$G"

    phase "dom0 configuration"
    install -m 755 "$HERE/xlab-init" "$R/sbin/xlab-init"
    # xenconsoled logs every guest console to /var/log/xen/console/guest-NAME.log
    echo 'XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console --timestamp=none"' \
        >>"$R/etc/default/xen"
    echo dom0 >"$R/etc/hostname"
    echo '/dev/vda / ext4 rw,relatime 0 1' >"$R/etc/fstab"
    chroot "$R" passwd -d root >/dev/null

    {
        echo "kernel $KVER"
        echo "hypervisor $(cat "$W/hv.version")"
        # shellcheck disable=SC2016 # dpkg-query's format, not shell
        chroot "$R" dpkg-query -W -f '${Package} ${Version}\n' \
            xen-utils-4.17 libxenmisc4.17 linux-image-amd64 qemu-system-xen seabios
        echo "host-libxen-dev $(dpkg-query -W -f '${Version}' libxen-dev 2>/dev/null || echo none)"
    } >"$OUT/versions.txt"
    tools=$(awk '$1 == "xen-utils-4.17" {print $2}' "$OUT/versions.txt")
    if [ "$tools" != "$(cat "$W/hv.version")" ]; then
        echo "lab: prepare: warning: dom0 tools $tools != hypervisor $(cat "$W/hv.version")" >&2
    fi

    phase "ext4 image (mkfs.ext4 -d)"
    mkfs.ext4 -q -F -L dom0root -d "$R" "$OUT/rootfs.img" 3072M
    rm -rf "$W"
    phase "done in $((SECONDS - T0))s"
}

main "$@"; exit $?
