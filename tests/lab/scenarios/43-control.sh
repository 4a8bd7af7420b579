#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 43-control: our trigger, sysrq, button-press, debug-keys, set-parameters
# and dump-core on real Xen, each next to Debian's xl doing the same: the
# effect in `xl dmesg`, on the guest's console or in the core file, and
# the exit status and message of every refusal.
# lab-timeout: 600
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

have_ours || skip_all "our xl is not built"
E=$XLAB_WORK/err

# run XL ARGS...: stdout and stderr into $E, the exit status in $rc.
run() {
    "$@" >"$E" 2>&1
    rc=$?
}

# qcount: how many "'q' pressed" lines Xen's message buffer holds.
qcount() { $DEBXL dmesg 2>/dev/null | grep -c "'q' pressed"; }
qlast() { $DEBXL dmesg 2>/dev/null | grep "'q' pressed" | tail -n 1; }
# shellcheck disable=SC2317 # called through wait_for
more_q() { [ "$(qcount)" -gt "$1" ]; }

# --- usage errors (exit 2, before Xen is asked) and a missing domain
while IFS='|' read -r args want; do
    # shellcheck disable=SC2086 # the cases are words
    run "$XL" $args
    is "$rc" 2 "xl $args: usage error (exit 2)"
    like "$(cat "$E")" "$want" "xl $args: names it"
done <<'EOF'
trigger g43|missing argument
trigger g43 bogus|unknown trigger 'bogus'
trigger g43 nmi x|invalid VCPU 'x'
trigger g43 nmi 0 1|unexpected argument '1'
sysrq g43 hh|'hh' is not one character
button-press g43 reset|unknown button 'reset'
debug-keys|missing argument
set-parameters foo|'foo' is not NAME=VALUE or noNAME
dump-core g43|missing argument
EOF
for args in "trigger no-such-domain nmi" "sysrq no-such-domain h" \
    "button-press no-such-domain power" "dump-core no-such-domain c"; do
    # shellcheck disable=SC2086
    run "$XL" $args
    is "$rc:$(tail -n 1 "$E")" "1:xl: domain 'no-such-domain' not found" \
        "xl $args: exit 1, a clear last line"
    # shellcheck disable=SC2086
    $DEBXL $args >/dev/null 2>&1
    is "$?" 1 "Debian's xl $args: exit 1 too"
done

# --- debug-keys: the key's output lands in Xen's message buffer
n=$(qcount)
ok "xl debug-keys q" "$XL" debug-keys q
wait_for 10 more_q "$n" && pass "'q' output appears in xl dmesg" ||
    fail "'q' output appears in xl dmesg"
n=$(qcount)
ok "xl debug q (unique prefix of debug-keys)" "$XL" debug q
wait_for 10 more_q "$n" && pass "... and its output appears too" ||
    fail "... and its output appears too"
n=$(qcount)
ok "Debian's xl debug-keys q" "$DEBXL" debug-keys q
wait_for 10 more_q "$n" && pass "Debian's: output appears the same way" ||
    fail "Debian's: output appears the same way"

# --- set-parameters: console_timestamps changes how dmesg lines start
ok "xl set-parameters console_timestamps=boot" \
    "$XL" set-parameters console_timestamps=boot
n=$(qcount)
$XL debug-keys q && wait_for 10 more_q "$n"
like "$(qlast)" "^\(XEN\) \[ *[0-9]+\.[0-9]{6}\] 'q' pressed" \
    "Xen stamps its lines with the boot time now"
ok "Debian's xl set-parameters console_timestamps=none" \
    "$DEBXL" set-parameters console_timestamps=none
n=$(qcount)
$DEBXL debug-keys q && wait_for 10 more_q "$n"
like "$(qlast)" "^\(XEN\) 'q' pressed" "and no longer after Debian's reset"
ok "xl set-parameters with two settings" \
    "$XL" set-parameters "console_timestamps=boot  console_timestamps=none"
n=$(qcount)
$XL debug-keys q && wait_for 10 more_q "$n"
like "$(qlast)" "^\(XEN\) 'q' pressed" "the last of two settings wins"
run "$XL" set-parameters xlab_no_such_param=1
is "$rc" 1 "an unknown parameter: exit 1"
is "$(cat "$E")" "xl: set-parameters: the hypervisor refused \
'xlab_no_such_param=1': No such file or directory (no such parameter \
settable at run time)" "with one clear line"
$DEBXL set-parameters xlab_no_such_param=1 >"$XLAB_OUT/deb-setp.txt" 2>&1
is "$?" 1 "Debian's xl: exit 1 too"
run "$XL" set-parameters console_timestamps=bogus
is "$rc:$(cat "$E")" "1:xl: set-parameters: the hypervisor refused \
'console_timestamps=bogus': Invalid argument" "a bad value: exit 1, Xen's EINVAL"
$DEBXL set-parameters console_timestamps=bogus >/dev/null 2>&1
is "$?" 1 "Debian's xl: exit 1 too"

# --- a PV guest: sysrq, NMI, the triggers it cannot take, dump-core
cfg=$(guest_cfg g43 pv 'extra = "console=hvc0 loglevel=4 xlab.stay=1"')
if $DEBXL create "$cfg" >"$XLAB_WORK/create.log" 2>&1 &&
    wait_console g43 "$GUEST_BANNER" 120; then
    pass "PV guest g43 is up"
else
    fail "PV guest g43 is up"
    diag_file "$XLAB_WORK/create.log"
    done_testing
fi
domid=$($DEBXL domid g43)
sleep "$(secs 3)" # the guest's xenbus watches (control/sysrq) are set up

from=$(console_size g43)
ok "xl sysrq g43 h" "$XL" sysrq g43 h
wait_console g43 "HELP :" 30 "$from" &&
    pass "the guest prints its sysrq help on its console" ||
    fail "the guest prints its sysrq help on its console"
from=$(console_size g43)
ok "Debian's xl sysrq g43 h" "$DEBXL" sysrq g43 h
wait_console g43 "HELP :" 30 "$from" && pass "the same with Debian's xl" ||
    fail "the same with Debian's xl"

from=$(console_size g43)
ok "xl trigger g43 nmi" "$XL" trigger g43 nmi
wait_console g43 "NMI received" 30 "$from" &&
    pass "the guest kernel logs the NMI" || {
    fail "the guest kernel logs the NMI"
    diag_file "$(console_log g43)" 15
}
from=$(console_size g43)
ok "Debian's xl trigger g43 nmi 0" "$DEBXL" trigger g43 nmi 0
wait_console g43 "NMI received" 30 "$from" && pass "the same with Debian's xl" ||
    fail "the same with Debian's xl"

# What Xen 4.17 refuses: ours exits 1 with the reason, Debian's exits 0.
while IFS='|' read -r args want; do
    # shellcheck disable=SC2086
    run "$XL" $args
    is "$rc" 1 "xl $args: refused, exit 1"
    like "$(cat "$E")" "$want" "xl $args: says why"
    # shellcheck disable=SC2086
    $DEBXL $args >"$XLAB_WORK/deb.txt" 2>&1
    diag "Debian's xl $args: exit $? ($(tail -n 1 "$XLAB_WORK/deb.txt"))"
done <<EOF
trigger g43 nmi 5|^xl: trigger: cannot send trigger 'nmi' to domain $domid \(vCPU 5\): No such process \(no such vCPU\)$
trigger g43 power|^xl: trigger: cannot send trigger 'power' to domain $domid \(vCPU 0\): Invalid argument \(ACPI buttons exist only in HVM guests\)$
trigger g43 reset|^xl: trigger: cannot send trigger 'reset' to domain $domid \(vCPU 0\): Function not implemented
button-press g43 sleep|^xl: button-press: cannot send trigger 'sleep'.*HVM guests
EOF

# dump-core: an ELF core of the guest's memory, as Debian's xl writes it.
ours=$XLAB_WORK/ours.core deb=$XLAB_WORK/deb.core
ok "xl dump-core g43 FILE" timeout "$(secs 120)" "$XL" dump-core g43 "$ours"
ok "Debian's xl dump-core g43 FILE" timeout "$(secs 120)" "$DEBXL" dump-core g43 "$deb"
elf_type() { # elf_type FILE: the magic and e_type (4: core) as hex bytes
    od -An -tx1 -N4 "$1" | tr -d ' \n'
    printf ' '
    od -An -tx1 -j16 -N2 "$1" | tr -d ' \n'
}
is "$(elf_type "$ours")" "7f454c46 0400" "ours is an ELF core file"
is "$(elf_type "$ours")" "$(elf_type "$deb")" "so is Debian's"
so=$(stat -c %s "$ours" 2>/dev/null || echo 0)
sd=$(stat -c %s "$deb" 2>/dev/null || echo 0)
diag "core sizes: ours $so, Debian's $sd bytes (guest memory 128 MiB)"
[ "$so" -gt $((120 << 20)) ] && [ "$so" -lt $((256 << 20)) ] &&
    pass "ours holds the guest's 128 MiB" || fail "ours holds the guest's 128 MiB"
is "$so" "$sd" "the same size as Debian's"
rm -f "$ours" "$deb"
like "$($DEBXL list g43 | awk 'NR == 2 {print $5}')" "^[rb-]" \
    "the guest still runs after the dumps"
run "$XL" dump-core g43 /nonexistent-dir/core
is "$rc:$(cat "$E")" "1:xl: dump-core: cannot dump domain $domid to \
'/nonexistent-dir/core': No such file or directory" \
    "an unwritable file: exit 1, one clear line"

$DEBXL destroy g43 >/dev/null 2>&1
wait_gone g43 30 && pass "g43 destroyed" || fail "g43 destroyed"

# --- an HVM domain, created paused (no guest boot under TCG): Xen takes
# the ACPI buttons and the NMI from both xls; s3resume goes through QEMU.
cfg=$(guest_cfg h43 hvm)
if timeout "$(secs 120)" $DEBXL create -p "$cfg" >"$XLAB_WORK/create-h43.log" 2>&1; then
    pass "HVM domain h43 created (paused)"
    for t in power sleep nmi; do
        run "$XL" trigger h43 $t
        is "$rc:$(cat "$E")" "0:" "xl trigger h43 $t: exit 0, silent"
        $DEBXL trigger h43 $t >"$XLAB_WORK/deb.txt" 2>&1
        is "$?:$(cat "$XLAB_WORK/deb.txt")" "0:" "Debian's xl trigger h43 $t: the same"
    done
    run "$XL" button-press h43 power
    is "$rc" 0 "xl button-press h43 power: exit 0"
    like "$(cat "$E")" "^xl: warning: button-press is deprecated" \
        "with the deprecation warning"
    run "$XL" trigger h43 s3resume
    diag "xl trigger h43 s3resume (not suspended): exit $rc $(head -c 300 "$E")"
    $DEBXL trigger h43 s3resume >"$XLAB_WORK/deb.txt" 2>&1
    diag "Debian's: exit $? $(head -c 300 "$XLAB_WORK/deb.txt")"
    run "$XL" trigger h43 init
    like "$rc:$(cat "$E")" "^1:xl: trigger: cannot send trigger 'init' .*Function not implemented" \
        "xl trigger h43 init: Xen 4.17 refuses it on HVM too (exit 1)"
    $DEBXL destroy h43 >/dev/null 2>&1
    wait_gone h43 30 && pass "h43 destroyed" || fail "h43 destroyed"
else
    fail "HVM domain h43 created (paused)"
    diag_file "$XLAB_WORK/create-h43.log"
fi
diag "not proven: a guest's reaction to the ACPI buttons (the lab guest has"
diag "no ACPI daemon) and s3resume of a suspended guest"
done_testing
