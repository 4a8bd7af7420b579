#!/bin/bash
# Real-GRUB lab boot: grub.cfg from OUR grub.d helper, GRUB boots Xen + dom0 in QEMU, scenarios check the knobs arrived.
#
# usage: tests/lab/grub-boot.sh [SCENARIO...]
#   default scenarios: 50-grub-knobs (tests/lab/scenarios-grub/) and 40-vcpu
#
# 1. `lab.sh prepare` gives the cached lab image (Xen, dom0 kernel, initrd,
#    ext4 root); the kernel's /boot/config-* is read out of the image with
#    debugfs, so the helper's dom0 check runs on the real kernel config.
# 2. A /boot tree (xen-4.17-amd64.gz, vmlinuz-V, initrd.img-V, config-V)
#    is fed to grub/20_xl_toolstack with the knobs set the way an admin
#    would: an edited copy of grub/xl-toolstack.cfg, sourced as
#    grub-mkconfig does (XL_DOM0_MEM=1024M, XL_DOM0_VCPUS=1,
#    XL_DOM0_VCPUS_PIN=true, XL_XEN_SERIAL=115200,8n1, XL_XEN_DEFAULT=true).
# 3. grub-mkrescue (Debian's grub-pc-bin, BIOS) makes an ISO; QEMU boots it
#    with the lab's root disk and 9p share; GRUB picks the default entry by
#    the id the defaults file set; the lab's runner (tests/lab/dom0/) runs
#    the scenarios in dom0.
# Prints TAP; exits 1 if anything failed. Needs root and the lab's host
# packages plus grub-pc-bin, grub-common, xorriso, mtools, e2fsprogs.
# Environment: XL_LAB_WORK, XL_LAB_KEEP=1, XL_LAB_BOOT_TIMEOUT, XL_LAB_TIMEOUT,
# XL_LAB_MAX_QEMU
# (as in lab.sh).
set -uo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$LAB/../.." && pwd)
WORK_ROOT=${XL_LAB_WORK:-/tmp/xl-lab-${USER:-$(id -un)}}
BOOT_TIMEOUT=${XL_LAB_BOOT_TIMEOUT:-240}
T_START=$SECONDS

say() { echo "grub-boot: [$((SECONDS - T_START))s] $*" >&2; }
die() {
    echo "grub-boot: error: $*" >&2
    echo "1..1"
    echo "not ok 1 - grub-boot: $*"
    exit 1
}

N=0 FAILED=0
tap() { # tap ok|not-ok DESCRIPTION
    N=$((N + 1))
    if [ "$1" = ok ]; then
        echo "ok $N - $2"
    else
        FAILED=$((FAILED + 1))
        echo "not ok $N - $2"
    fi
}

for t in grub-mkrescue grub-script-check xorriso mformat debugfs qemu-system-x86_64 qemu-img; do
    command -v "$t" >/dev/null || die "missing host tool $t (grub-pc-bin grub-common xorriso mtools e2fsprogs qemu)"
done

SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(50-grub-knobs 40-vcpu)

# ---- 1. the lab image --------------------------------------------------------
IMG_DIR=$("$LAB/lab.sh" prepare) || die "lab.sh prepare failed"
IMG_DIR=$(printf '%s\n' "$IMG_DIR" | tail -n 1)
for f in xen.elf vmlinuz initrd.img rootfs.img; do
    [ -f "$IMG_DIR/$f" ] || die "the lab image has no $f ($IMG_DIR)"
done

RUN=$WORK_ROOT/grub-$(date +%Y%m%d-%H%M%S)-$$
SHARE=$RUN/share
mkdir -p "$SHARE/out" "$SHARE/lab/scenarios" "$SHARE/configs" || die "cannot create $RUN"
say "run directory: $RUN"

# ---- 2. a /boot tree and grub.cfg from our helper --------------------------------
ISO_ROOT=$RUN/iso
mkdir -p "$ISO_ROOT/boot/grub"
kver=$(debugfs -R 'ls /lib/modules' "$IMG_DIR/rootfs.img" 2>/dev/null |
    tr -s ' \t' '\n' | grep -E '^[0-9]+\.[0-9]+' | sort -V | tail -n 1)
[ -n "$kver" ] || die "cannot find the kernel version in $IMG_DIR/rootfs.img"
debugfs -R "dump /boot/config-$kver $ISO_ROOT/boot/config-$kver" "$IMG_DIR/rootfs.img" >/dev/null 2>&1
[ -s "$ISO_ROOT/boot/config-$kver" ] || die "cannot read /boot/config-$kver from the image"
gzip -n -c "$IMG_DIR/xen.elf" >"$ISO_ROOT/boot/xen-4.17-amd64.gz"
cp "$IMG_DIR/vmlinuz" "$ISO_ROOT/boot/vmlinuz-$kver"
cp "$IMG_DIR/initrd.img" "$ISO_ROOT/boot/initrd.img-$kver"

# The admin's edit of the shipped defaults file.
sed -e 's/^XL_DOM0_MEM=""/XL_DOM0_MEM="1024M"/' \
    -e 's/^XL_DOM0_VCPUS=""/XL_DOM0_VCPUS="1"/' \
    -e 's/^XL_DOM0_VCPUS_PIN="false"/XL_DOM0_VCPUS_PIN="true"/' \
    -e 's/^XL_XEN_SERIAL=""/XL_XEN_SERIAL="115200,8n1"/' \
    -e 's/^XL_XEN_DEFAULT="false"/XL_XEN_DEFAULT="true"/' \
    "$SRC/grub/xl-toolstack.cfg" >"$RUN/xl-toolstack.cfg"

# What grub-mkconfig does: source the defaults, emit a header, run the
# grub.d script with the GRUB_* variables exported.
(
    GRUB_DEFAULT=0
    GRUB_DISTRIBUTOR=Debian
    GRUB_DEVICE=/dev/vda
    GRUB_CMDLINE_LINUX="rw console=hvc0 earlyprintk=xen init=/sbin/xlab-init"
    GRUB_CMDLINE_XEN_DEFAULT="loglvl=all guest_loglvl=all"
    # shellcheck disable=SC1091
    . "$RUN/xl-toolstack.cfg"
    export GRUB_DISTRIBUTOR GRUB_DEVICE GRUB_CMDLINE_LINUX GRUB_CMDLINE_XEN_DEFAULT
    cat <<EOF
# grub.cfg for the xl-toolstack GRUB lab boot (entries from 20_xl_toolstack)
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=1
set default="$GRUB_DEFAULT"
if [ x\$feature_menuentry_id = xy ]; then
  menuentry_id_option="--id"
else
  menuentry_id_option=""
fi
export menuentry_id_option
# Stands for the distribution's own first entry (10_linux): booting it
# means the default was not taken from XL_XEN_DEFAULT.
menuentry 'decoy: not the Xen entry' {
	echo 'GRUB-LAB: booted the decoy entry, not xl-toolstack-xen'
	halt
}
EOF
    XL_GRUB_ROOT=$ISO_ROOT sh "$SRC/grub/20_xl_toolstack"
) >"$ISO_ROOT/boot/grub/grub.cfg" 2>"$RUN/helper.err"
rc=$?
cat "$RUN/helper.err" >&2
if [ $rc = 0 ] && grep -q '^menuentry ' "$ISO_ROOT/boot/grub/grub.cfg"; then
    tap ok "our grub.d helper made entries for the lab's Xen and dom0 kernel $kver"
else
    tap not-ok "our grub.d helper made entries (exit $rc, see $RUN/helper.err)"
fi
cp "$ISO_ROOT/boot/grub/grub.cfg" "$RUN/grub.cfg"
if grub-script-check "$ISO_ROOT/boot/grub/grub.cfg" >"$RUN/script-check.log" 2>&1; then
    tap ok "grub-script-check accepts the generated grub.cfg"
else
    tap not-ok "grub-script-check accepts the generated grub.cfg (see $RUN/script-check.log)"
fi
if grep -q '^set default="xl-toolstack-xen"$' "$ISO_ROOT/boot/grub/grub.cfg"; then
    tap ok "XL_XEN_DEFAULT=true made the Xen entry the default, by id"
else
    tap not-ok "XL_XEN_DEFAULT=true made the Xen entry the default, by id"
fi

ISO=$RUN/grub-xen.iso
if grub-mkrescue -o "$ISO" "$ISO_ROOT" >"$RUN/mkrescue.log" 2>&1; then
    tap ok "grub-mkrescue built a bootable ISO"
else
    tail -n 5 "$RUN/mkrescue.log" >&2
    die "grub-mkrescue failed (see $RUN/mkrescue.log)"
fi

# ---- 3. the project for dom0, the share, the boot ------------------------------
# Same build directory and lock as lab.sh, so a run of both builds once.
bdir=$WORK_ROOT/build-$(printf %s "$SRC" | sha256sum | cut -c1-12)
mkdir -p "$bdir"
say "build: project for dom0 in $bdir"
exec {bfd}>"$bdir.lock"
flock "$bfd"
(
    if [ ! -x "$SRC/configure" ]; then
        (cd "$SRC" && autoreconf -fi) || exit 1
    fi
    if [ ! -f "$bdir/Makefile" ]; then
        (cd "$bdir" && "$SRC/configure" --prefix=/usr/local) || exit 1
    fi
    make -C "$bdir" -j2 && make -C "$bdir" install DESTDIR="$SHARE/stage"
) >"$RUN/build.log" 2>&1
brc=$?
exec {bfd}>&-
if [ $brc = 0 ]; then
    tap ok "project built and staged for dom0"
else
    tail -n 15 "$RUN/build.log" | sed 's/^/grub-boot: build: /' >&2
    tap not-ok "project built and staged for dom0 (see $RUN/build.log)"
    rm -rf "$SHARE/stage"
fi

cp -a "$LAB/dom0" "$SHARE/lab/"
cp -a "$LAB/scenarios/." "$SHARE/lab/scenarios/"
cp -a "$LAB/scenarios-grub/." "$SHARE/lab/scenarios/"
cp -a "$SRC/configs/." "$SHARE/configs/" 2>/dev/null
echo run >"$SHARE/mode"
: >"$SHARE/plan"
total=0
for s in "${SCENARIOS[@]}"; do
    s=$(basename "$s" .sh)
    [ -f "$SHARE/lab/scenarios/$s.sh" ] || die "no scenario $s"
    t=$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$SHARE/lab/scenarios/$s.sh" | head -n 1)
    echo "$s ${t:-300}" >>"$SHARE/plan"
    total=$((total + ${t:-300} + 30))
done

qemu-img create -q -f qcow2 -F raw -b "$IMG_DIR/rootfs.img" "$RUN/overlay.qcow2" ||
    die "qemu-img create failed"
# TCG: /dev/kvm on these machines cannot run Xen (docs: LAB.md).
cpu_model=qemu64,+svm,+npt
QEMU=(qemu-system-x86_64 -accel tcg -cpu "$cpu_model" -m 4096 -smp 2 -machine q35
    -display none -monitor none -no-reboot -nic none
    -chardev "stdio,id=ser0,signal=off" -serial chardev:ser0
    -cdrom "$ISO" -boot d
    -drive "file=$RUN/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe"
    -virtfs "local,path=$SHARE,mount_tag=hostshare,security_model=none,id=hostshare")
printf '%q ' "${QEMU[@]}" >"$RUN/qemu.cmd"

QPID=""
stop_qemu() {
    if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
        kill -TERM "$QPID" 2>/dev/null
        sleep 3
        kill -KILL "$QPID" 2>/dev/null
    fi
}
trap stop_qemu EXIT
trap 'stop_qemu; exit 130' INT TERM

# One of lab.sh's machine-wide QEMU slots (same files, same default), held
# until this script exits: labs sharing CPUs run so slowly that libxl's
# hotplug timeouts fire.
max_qemu=${XL_LAB_MAX_QEMU:-$(($(nproc) / 2))}
[ "$max_qemu" -ge 1 ] || max_qemu=1
waited=""
while :; do
    for i in $(seq 1 "$max_qemu"); do
        exec {slotfd}>"$WORK_ROOT/.qemu-slot-$i"
        flock -n "$slotfd" && break 2
        exec {slotfd}>&-
    done
    [ -n "$waited" ] || say "boot: waiting for a free QEMU slot ($max_qemu at a time, XL_LAB_MAX_QEMU)"
    waited=1
    sleep 3
done
say "boot: GRUB ISO + Xen + dom0 in QEMU (TCG; console: $RUN/console.log)"
t0=$SECONDS
"${QEMU[@]}" </dev/null >"$RUN/console.log" 2>&1 &
QPID=$!
# TCG on 2 shared cores slows down a lot under load: twice the budget,
# unless XL_LAB_TIMEOUT says otherwise.
tmo=${XL_LAB_TIMEOUT:-$((2 * (BOOT_TIMEOUT + total + 60)))}
reason=""
while kill -0 "$QPID" 2>/dev/null; do
    sleep 1
    now=$((SECONDS - t0))
    if [ ! -f "$SHARE/out/dom0-ready" ] && [ $now -ge "$BOOT_TIMEOUT" ]; then
        reason="dom0 not ready after ${BOOT_TIMEOUT}s"
    elif [ $now -ge "$tmo" ]; then
        reason="timed out after ${tmo}s"
    elif grep -aq -e 'Kernel panic' -e '(XEN) Panic' -e 'XLAB-FATAL' "$RUN/console.log"; then
        sleep 2
        reason=$(grep -a -m1 -e 'Kernel panic' -e '(XEN) Panic' -e 'XLAB-FATAL' "$RUN/console.log" | tr -d '\r' | cut -c1-120)
    fi
    if [ -n "$reason" ]; then
        say "stopping QEMU (pid $QPID): $reason"
        stop_qemu
        break
    fi
done
wait "$QPID" 2>/dev/null
QPID=""
say "boot: QEMU exited after $((SECONDS - t0))s"

# ---- 4. results -----------------------------------------------------------------
if grep -aq "Loading Xen 4.17-amd64" "$RUN/console.log" &&
    ! grep -aq "GRUB-LAB: booted the decoy" "$RUN/console.log"; then
    tap ok "GRUB booted our entry by its id, not the first entry (console shows 'Loading Xen 4.17-amd64 ...')"
else
    tap not-ok "GRUB ran our entry (see $RUN/console.log)"
fi
if [ -f "$SHARE/out/dom0-ready" ]; then
    tap ok "Xen booted by GRUB brought up dom0 (xl info works)"
else
    tap not-ok "Xen booted by GRUB brought up dom0: ${reason:-see $RUN/console.log}"
fi
for s in "${SCENARIOS[@]}"; do
    s=$(basename "$s" .sh)
    d=$SHARE/out/scenarios/$s
    if [ ! -f "$d/tap.txt" ]; then
        tap not-ok "$s: did not run"
        continue
    fi
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$d/tap.txt" | head -n 1)
    count=0
    while IFS= read -r line; do
        case $line in
        "ok "* | "not ok "*)
            count=$((count + 1))
            desc=$(printf '%s\n' "$line" | sed -E 's/^(not )?ok( [0-9]+)?( -)? ?//')
            case $line in
            ok*) tap ok "$s: $desc" ;;
            *) tap not-ok "$s: $desc" ;;
            esac
            ;;
        esac
    done <"$d/tap.txt"
    if [ ! -f "$d/rc" ]; then
        tap not-ok "$s: did not finish (${reason:-QEMU stopped})"
    elif [ -n "$plan" ] && [ "$plan" != "$count" ]; then
        tap not-ok "$s: planned $plan tests, ran $count (exit $(cat "$d/rc"))"
    elif [ -z "$plan" ]; then
        tap not-ok "$s: no TAP plan (exit $(cat "$d/rc"))"
    fi
    grep '^#' "$d/tap.txt" | head -n 40
done
echo "1..$N"
echo "grub-boot: $((N - FAILED)) passed, $FAILED failed"
rm -f "$RUN/overlay.qcow2"
if [ "${XL_LAB_KEEP:-}" != 1 ] && [ $FAILED = 0 ]; then
    rm -rf "$RUN"
else
    say "kept: $RUN (console.log, grub.cfg, share/out/)"
fi
[ $FAILED = 0 ]
