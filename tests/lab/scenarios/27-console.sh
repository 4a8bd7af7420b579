#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 27-console: `xl console` on a running guest: it shows what the guest
# prints from then on and returns when the guest goes away; Ctrl-] (the
# only escape 4.17's xenconsole knows) detaches and leaves the guest
# running; a console that does not exist is refused with the reason.
# lab-timeout: 400
. "$(dirname "$0")/lib.sh"
have_ours || skip_all "our xl is not installed"
plan 17

# attach_keys SECS KEYS OUT CMD...: CMD on a pseudo-terminal; KEYS typed
# 3 s (scaled) after it starts. Returns CMD's status, 124 on timeout.
attach_keys() {
    local tmo=$1 keys=$2 out=$3 cmd="" a
    shift 3
    for a in "$@"; do cmd="$cmd $(printf '%q' "$a")"; done
    { sleep "$(secs 3)"; printf '%b' "$keys"; sleep "$((tmo * XLAB_SCALE))"; } |
        timeout -k 5 "$((tmo * XLAB_SCALE))" script -qfec "$cmd" "$out" >/dev/null 2>&1
}

# 1. A guest that powers off 20 s after its banner: attached once it is
#    up, the console shows its last words and returns with it.
cfg=$(guest_cfg c27 pv 'extra = "console=hvc0 loglevel=4 xlab.linger=20"')
"$XL" create "$cfg" >/dev/null 2>&1
if wait_console c27 "$GUEST_BANNER" 120; then
    pass "the guest is up (banner in xenconsoled's log)"
else
    fail "the guest is up (banner in xenconsoled's log)"
fi
out=$XLAB_OUT/console-c27.txt
run_tty -t 120 "$out" "$XL" console c27
rc=$?
isnt_timeout() { [ "$1" != 124 ]; }
isnt_timeout $rc && pass "xl console returns when the guest powers off (exit $rc)" ||
    fail "xl console returns when the guest powers off (timed out)"
like "$(cat "$out")" "XLAB-POWEROFF" "it showed what the guest printed after attaching"
wait_gone c27 30 && pass "the guest is gone" || fail "the guest is gone"

# 1b. The same through our own relay (-e): output shown, returns with it.
cfg=$(guest_cfg e27 pv 'extra = "console=hvc0 loglevel=4 xlab.linger=20"')
"$XL" create "$cfg" >/dev/null 2>&1
wait_console e27 "$GUEST_BANNER" 120 || diag "e27: no banner in xenconsoled's log"
out=$XLAB_OUT/console-e27.txt
run_tty -t 120 "$out" "$XL" console -e '^b' e27
rc=$?
is "$rc" 0 "-e: xl console returns 0 when the guest powers off"
like "$(cat "$out")" "XLAB-POWEROFF" "-e: it showed what the guest printed"
wait_gone e27 30

# 2. Ctrl-] detaches; the guest keeps running.
cfg=$(guest_cfg s27 pv 'extra = "console=hvc0 loglevel=4 xlab.stay=1"')
"$XL" create "$cfg" >/dev/null 2>&1
wait_console s27 "XLAB-STAYING-UP" 120 ||
    diag "s27 did not report XLAB-STAYING-UP"
attach_keys 60 '\035' "$XLAB_OUT/console-detach.txt" "$XL" console s27
rc=$?
is "$rc" 0 "Ctrl-] detaches: xl console exits 0"
ok "the guest still runs after the detach" domain_exists s27
# -e: Xen 4.17's xenconsole has no escape option, so ours relays itself.
attach_keys 60 'ab\001' "$XLAB_OUT/console-escape.txt" "$XL" console -e '^a' s27
is "$?" 0 "-e ^a: Ctrl-A detaches (exit 0)"
ok "the guest still runs after that" domain_exists s27
"$XL" console -e 'xy' s27 >/dev/null 2>&1
is "$?" 2 "-e with two characters is a usage error"
# Same with Debian's xl, for the record of behaviour.
attach_keys 60 '\035' "$XLAB_OUT/console-detach-deb.txt" "$DEBXL" console s27
is "$?" 0 "Debian's xl console detaches the same way (exit 0)"

# 3. Refusals, with the reason.
out=$("$XL" console nosuch 2>&1)
rc=$?
is "$rc" 1 "console of a missing domain: exit 1 ($out)"
out=$("$XL" console -t serial s27 2>&1)
rc=$?
is "$rc" 1 "console -t serial of a PV guest without one: exit 1"
like "$out" "serial = \"pty\"" "and it says how to get one"
"$XL" console -t bogus s27 >/dev/null 2>&1
is "$?" 2 "an unknown console type is a usage error (exit 2)"
out=$("$XL" console -n 7 s27 2>&1)
like "$out" "no pv console 7" "a console number that does not exist is named"

timeout 60 "$DEBXL" destroy s27 >/dev/null 2>&1
wait_gone s27 30
done_testing
