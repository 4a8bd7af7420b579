#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 21-create-console: `xl create -c` of the example PV guest attaches before
# the guest runs (its very first kernel line is on our terminal), shows the
# banner, and returns once the guest powers off; the domain is then gone.
# An HVM guest's serial console works the same way, and so does a PV
# guest booted by pygrub (two consoles in turn: pygrub's, then the guest's).
# lab-timeout: 300
. "$(dirname "$0")/lib.sh"
plan 12

out=$XLAB_OUT/create-c-dom01.txt
start=$SECONDS
# ignore_loglevel (a key=value override, read after the file) makes the
# kernel print its first line on hvc0.
run_tty -t 120 "$out" "$XL" create -c /etc/xen/dom01.cfg \
    'extra = "console=hvc0 ignore_loglevel"'
rc=$?
is "$rc" 0 "xl create -c dom01 exits 0 when the guest powers off"
like "$(cat "$out")" "$GUEST_BANNER" "the banner is on our terminal"
# Early output: the kernel's first line only reaches us if xenconsole
# attached while the domain was still paused.
like "$(head -c 20000 "$out")" "Linux version" "the kernel's first line was not lost"
like "$(cat "$out")" "XLAB-POWEROFF" "the guest's last words are shown too"
diag "create -c returned after $((SECONDS - start)) s"
wait_gone dom01 20 && pass "dom01 is gone after poweroff" || fail "dom01 is gone after poweroff"

# The bare-name lookup: /etc/xen/dom01.cfg from `create dom01`.
out2=$XLAB_OUT/create-c-bare.txt
cfg=$(guest_cfg c21 pv)
cp "$cfg" /etc/xen/c21.cfg
(cd / && run_tty -t 120 "$out2" "$XL" create -c c21)
like "$(cat "$out2")" "$GUEST_BANNER" "create -c NAME finds /etc/xen/NAME.cfg"
rm -f /etc/xen/c21.cfg

# pygrub: libxl reports the bootloader's console, then the guest's; the
# terminal must come back in its normal (cooked) mode afterwards.
out4=$XLAB_OUT/create-c-pygrub.txt
disk=$XLAB_WORK/pygrub.img
cp --sparse=always "$GUEST_PYGRUB_DISK" "$disk"
cfg=$(guest_cfg g21 pygrub "disk = [ 'file:$disk,xvda,w' ]")
# shellcheck disable=SC2016 # $0/$1 expand in that sh
run_tty -t 200 "$out4" sh -c '"$0" create -c "$1"; echo "XL-RC=$?"; stty -a' \
    "$XL" "$cfg"
like "$(tr -d '\r' <"$out4")" "XL-RC=0" "pygrub: create -c exits 0 when the guest powers off"
like "$(cat "$out4")" "$GUEST_BANNER" "pygrub: the guest's console follows pygrub's on our terminal"
like "$(cat "$out4")" "xlab.boot=pygrub" "pygrub: it is the kernel pygrub loaded from the guest's disk"
if grep -aq -- ' icanon' "$out4" && grep -aq -- ' echo ' "$out4"; then
    pass "pygrub: the terminal is back in cooked mode with echo"
else
    fail "pygrub: the terminal is back in cooked mode with echo"
    diag_file "$out4" 15
fi
wait_gone g21 30
rm -f "$disk"

# HVM: the serial console (serial = "pty").
out3=$XLAB_OUT/create-c-hvm.txt
cfg=$(guest_cfg h21 hvm)
for try in 1 2; do
    run_tty -t 200 "$out3" "$XL" create -c "$cfg"
    grep -aq "$GUEST_BANNER" "$out3" && break
    # An HVM boot under TCG triple-faults now and then: retry once.
    grep -aqi "triple fault" /var/log/xen/qemu-dm-h21.log 2>/dev/null || break
    diag "HVM boot flaked (try $try), retrying"
    cleanup_domains
done
like "$(cat "$out3")" "$GUEST_BANNER" "HVM guest: the serial console shows the banner"
wait_gone h21 30 && pass "the HVM guest is gone after poweroff" ||
    fail "the HVM guest is gone after poweroff"
done_testing
