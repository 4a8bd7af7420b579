#!/bin/bash
# 60-boot-policy: switch the example guest PV direct kernel -> pygrub -> PV
# -> HVM with `xl boot-policy`, booting it after each switch.
# lab-timeout: 900
. "$(dirname "$0")/lib.sh"

# Boots with our xl when it can create, else with Debian's: either way the
# file our boot-policy wrote is what boots.
CREATE=$XL
has_command "$XL" create || CREATE=$DEBXL

# The example guest on a private copy of the pygrub disk, so both the
# direct kernel and pygrub can boot it.
disk=$XLAB_WORK/bp-disk.img
cp --sparse=always "$GUEST_PYGRUB_DISK" "$disk"
cfg=$XLAB_WORK/bp.cfg
sed -e 's/^name = .*/name = "bp"/' \
    -e "s|file:[^,]*,xvda,w|file:$disk,xvda,w|" \
    -e 's/^vif = .*/vif = [ "bridge=xenbr0" ]/' /etc/xen/dom01.cfg >"$cfg"
cp "$cfg" "$cfg.orig"

# boot LABEL MARKER: create with the console attached, wait for MARKER
boot() {
    local ts=$XLAB_OUT/bp-$1.typescript
    run_tty -t "$(secs "${3:-180}")" "$ts" "$CREATE" create -c "$cfg"
    local rc=$?
    if tr -d '\r' <"$ts" | grep -aqF -- "$2"; then
        pass "$1: the guest boots and prints '$2' (create exit $rc)"
    else
        fail "$1: the guest boots and prints '$2' (create exit $rc)"
        diag_file "$ts" 25
    fi
    timeout 60 "$DEBXL" destroy bp >/dev/null 2>&1
    wait_gone bp 30
}

boot "pv direct kernel" "$GUEST_BANNER"

out=$("$XL" boot-policy "$cfg" pygrub 2>&1)
is "$?" 0 "boot-policy pygrub: $out"
like "$(cat "$cfg")" '^bootloader = "pygrub"' "the file now boots with pygrub"
like "$(cat "$cfg")" '^#xl-boot-policy\(pv\): kernel = ' "the direct kernel is parked, not lost"
ok "Debian's xl accepts the switched file (create -n)" "$DEBXL" create -n "$cfg"
boot "pv pygrub" "xlab.boot=pygrub"

out=$("$XL" boot-policy "$cfg" pv 2>&1)
is "$?" 0 "boot-policy pv: $out"
if cmp -s "$cfg.orig" "$cfg"; then
    pass "back to pv: the file is byte for byte the original"
else
    fail "back to pv: the file is byte for byte the original"
    diff -u "$cfg.orig" "$cfg" | sed 's/^/#   /'
fi
boot "pv direct kernel again" "$GUEST_BANNER"

# A running domain: the switch is stored for its next boot and our
# monitor rebuilds it from the switched config when the guest reboots
# (the lab guest reboots once with xlab.reboot=1).
if has_command "$XL" create; then
    cfg2=$XLAB_WORK/bp2.cfg
    sed -e 's/^name = .*/name = "bp2"/' \
        -e 's/^extra = .*/extra = "console=hvc0 loglevel=4 xlab.reboot=1"/' \
        "$cfg.orig" >"$cfg2"
    ok "our xl create -p bp2 (PV, reboots once)" "$XL" create -p "$cfg2"
    out=$("$XL" boot-policy bp2 pvh 2>&1)
    is "$?" 0 "boot-policy on the running domain: $out"
    like "$out" "at its next reboot" "it says when the switch takes effect"
    like "$(xl list bp2 2>&1)" "bp2" "the domain itself is untouched for now"
    # config-update's options as Xen's xl has them: -N prints the result
    # (JSON) and stores nothing, -d prints it and stores, -f names the
    # file; -n (ours) prints the text.
    # (on_crash = "preserve" marks the update: the file says "destroy")
    out=$("$XL" -N config-update bp2 'on_crash = "preserve"' 2>&1)
    is "$?" 0 "xl -N config-update bp2 on_crash=preserve"
    like "$out" '"on_crash": "preserve"' \
        "-N prints the resulting config as JSON"
    unlike "$("$XL" config-update -n bp2 2>&1)" 'on_crash = "preserve"' \
        "-N stored nothing"
    out=$("$XL" config-update -d -q bp2 'on_crash = "preserve"' 2>/dev/null)
    is "$?" 0 "xl config-update -d -q bp2 on_crash=preserve"
    like "$out" '"on_crash": "preserve"' "-d prints the resulting config"
    like "$("$XL" config-update -n bp2 2>&1)" 'on_crash = "preserve"' \
        "-d stored the update (the pending config has it)"
    like "$("$XL" config-update -n bp2 2>&1)" 'type = "pvh"' \
        "on top of boot-policy's pending switch"
    out=$("$XL" config-update -n -f "$cfg2" bp2 2>&1)
    is "$?" 0 "config-update -n -f FILE bp2"
    like "$out" 'name = "bp2"' "-f reads the file it names"
    ok "unpause bp2" "$XL" unpause bp2
    if wait_console bp2 XLAB-REBOOTED-ONCE "$(secs 300)"; then
        pass "bp2 rebooted and came back"
        log=$(tr -d '\r' <"$(console_log bp2)")
        like "$(printf '%s\n' "$log" | sed -n '/XLAB-REBOOTING/,$p')" \
            "$GUEST_BANNER.*type=PVH" "after its reboot bp2 runs as PVH"
    else
        fail "bp2 rebooted and came back"
        diag_file "$(console_log bp2)" 20
        skip "after its reboot bp2 runs as PVH" "no reboot seen"
    fi
    wait_gone bp2 "$(secs 60)" || timeout 60 "$DEBXL" destroy bp2 >/dev/null 2>&1
else
    skip "boot-policy on a running domain" "our xl has no create yet"
fi

if ! "$DEBXL" info | grep -E '^virt_caps' | grep -qw hvm; then
    out=$("$XL" boot-policy "$cfg" hvm 2>&1)
    isnt "$?" 0 "boot-policy hvm is refused on a host without HVM"
    like "$out" "no HVM support" "the refusal says why"
    done_testing
fi
out=$("$XL" boot-policy "$cfg" hvm 2>&1)
is "$?" 0 "boot-policy hvm: $out"
like "$(cat "$cfg")" '^type = "hvm"' "type is hvm"
like "$(cat "$cfg")" 'file:[^,]*,hda,w' "the disk is hda for the firmware"
ok "Debian's xl accepts the HVM file (create -n)" "$DEBXL" create -n "$cfg"
# The lab guest has no BIOS boot loader on its disk: boot the switched
# config's devices with the kernel given on the command line (HVM direct
# kernel boot), which proves the HVM config itself works.
ts=$XLAB_OUT/bp-hvm.typescript
run_tty -t "$(secs 240)" "$ts" "$CREATE" create -c "$cfg" \
    "kernel=\"$GUEST_KERNEL\"" "ramdisk=\"$GUEST_INITRD\"" \
    'cmdline="console=ttyS0 loglevel=4"' 'vnc=0' 'sdl=0' 'nographic=1'
rc=$?
if tr -d '\r' <"$ts" | grep -aqF -- "$GUEST_BANNER"; then
    pass "hvm: the switched guest boots and prints its banner (exit $rc)"
else
    fail "hvm: the switched guest boots and prints its banner (exit $rc)"
    diag_file "$ts" 25
fi
timeout 60 "$DEBXL" destroy bp >/dev/null 2>&1
wait_gone bp 30
out=$("$XL" boot-policy "$cfg" pv 2>&1)
is "$?" 0 "boot-policy back to pv: $out"
if cmp -s "$cfg.orig" "$cfg"; then
    pass "pv -> pygrub -> pv -> hvm -> pv gives the original file back"
else
    fail "pv -> pygrub -> pv -> hvm -> pv gives the original file back"
    diff -u "$cfg.orig" "$cfg" | sed 's/^/#   /'
fi
done_testing
