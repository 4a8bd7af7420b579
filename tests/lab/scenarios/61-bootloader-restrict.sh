#!/bin/bash
# 61-bootloader-restrict: bootloader_restrict / bootloader_user really run
# pygrub deprivileged (XSA-443). libxl 4.17 reads that from the variables
# LIBXL_BOOTLOADER_RESTRICT / _USER; our xl sets them from the config.
# Proof: without a restricted user, create fails as Debian's xl does with
# the variable set; with the user, pygrub runs as that uid (libxl's debug
# line) and the guest boots; bootloader_restrict = 0 overrides the
# variable an admin left set.
# lab-timeout: 600
. "$(dirname "$0")/lib.sh"

have_ours || skip_all "our xl is not installed"
if getent passwd xen-qemuuser-shared >/dev/null ||
    getent passwd xen-qemuuser-range-base >/dev/null; then
    skip_all "the image already has a restricted user; cannot test without"
fi
plan 11

# The restricted pygrub opens the disk as that user. Debian's xl hands it
# the image file (made readable here); ours names its own block script,
# so libxl attaches the disk to dom0 first and pygrub opens /dev/xvdX,
# which only root may read: a udev rule would open it up on a real host,
# the loop in udev_standin does here while a create runs.
disk=$XLAB_WORK/restrict.img
cp --sparse=always "$GUEST_PYGRUB_DISK" "$disk"
chmod 0644 "$disk"
chmod o+x "$XLAB_WORK"
base=$(guest_cfg g61 pygrub "disk = [ 'file:$disk,xvda,w' ]")
udev_standin() { # udev_standin CMD...: runs CMD, /dev/xvd* readable meanwhile
    local pid rc
    (while :; do
        chmod o+r /dev/xvd* 2>/dev/null
        sleep 0.05
    done) &
    pid=$!
    "$@"
    rc=$?
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return "$rc"
}
cfg=$XLAB_WORK/g61-restrict.cfg
{
    cat "$base"
    echo 'bootloader_restrict = 1'
} >"$cfg"
cleanup() {
    cleanup_domains >/dev/null 2>&1
    userdel xen-qemuuser-shared >/dev/null 2>&1
    return 0
}
trap cleanup EXIT

# 1. No restricted user: libxl refuses to run the bootloader as root.
"$XL" create "$cfg" >"$XLAB_OUT/61-ours-nouser.txt" 2>&1
rc=$?
is "$rc" 1 "restrict without a restricted user: our create fails (exit 1)"
like "$(cat "$XLAB_OUT/61-ours-nouser.txt")" "cannot restrict|xen-qemuuser" \
    "the error names the missing restricted user"
if domain_exists g61; then
    fail "nothing left behind"
else
    pass "nothing left behind"
fi
# Debian's xl, told by the variable, gives the same verdict.
LIBXL_BOOTLOADER_RESTRICT=1 "$DEBXL" create "$base" \
    >"$XLAB_OUT/61-debian-nouser.txt" 2>&1
rc_deb=$?
cleanup_domains >/dev/null 2>&1
isnt "$rc_deb" 0 "Debian's xl with LIBXL_BOOTLOADER_RESTRICT=1 fails too"
like "$(cat "$XLAB_OUT/61-debian-nouser.txt")" "cannot restrict" \
    "with the same libxl error"

# 2. bootloader_restrict = 0 wins over a variable left set by the admin.
{
    cat "$base"
    echo 'bootloader_restrict = 0'
} >"$XLAB_WORK/g61-norestrict.cfg"
LIBXL_BOOTLOADER_RESTRICT=1 "$XL" create "$XLAB_WORK/g61-norestrict.cfg" \
    >"$XLAB_OUT/61-ours-zero.txt" 2>&1
rc=$?
is "$rc" 0 "bootloader_restrict = 0 clears the admin's LIBXL_BOOTLOADER_RESTRICT"
diag_file "$XLAB_OUT/61-ours-zero.txt" 5
cleanup_domains >/dev/null 2>&1
wait_gone g61 30

# 3. With the shared restricted user, pygrub runs as that user.
useradd --system --no-create-home --shell /usr/sbin/nologin \
    xen-qemuuser-shared
uid=$(id -u xen-qemuuser-shared)
udev_standin "$XL" -vvv create "$cfg" >"$XLAB_OUT/61-ours-user.txt" 2>&1
rc=$?
is "$rc" 0 "restrict with xen-qemuuser-shared: create succeeds"
diag_file "$XLAB_OUT/61-ours-user.txt" 5
like "$(cat "$XLAB_OUT/61-ours-user.txt")" "using uid $uid" \
    "libxl ran pygrub as xen-qemuuser-shared (uid $uid)"
if [ "$rc" = 0 ] && wait_console g61 "$GUEST_BANNER" 120; then
    pass "the guest pygrub loaded boots"
else
    fail "the guest pygrub loaded boots"
fi
cleanup_domains >/dev/null 2>&1
wait_gone g61 30
# Debian's xl, given the same through the variable, boots it too.
LIBXL_BOOTLOADER_RESTRICT=1 "$DEBXL" -vvv create "$base" \
    >"$XLAB_OUT/61-debian-user.txt" 2>&1
is "$?" 0 "Debian's xl with LIBXL_BOOTLOADER_RESTRICT=1: create succeeds too"
like "$(cat "$XLAB_OUT/61-debian-user.txt")" "using uid $uid" \
    "and runs pygrub as the same uid"
cleanup
done_testing
