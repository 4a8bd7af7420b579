#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 22-lifecycle: create -p, list, pause/unpause, shutdown -w, reboot and
# destroy with our xl, each checked with Debian's xl list and xenstore.
# lab-timeout: 300
. "$(dirname "$0")/lib.sh"
plan 16

state() { # state NAME: the State column of Debian's xl list
    "$DEBXL" list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'
}

cfg=$(guest_cfg l22 pv 'extra = "console=hvc0 loglevel=4 xlab.stay=1"' \
    "disk = [ 'file:$(guest_disk l22),xvda,w' ]" \
    "vif = [ 'mac=00:16:3e:22:00:01,bridge=$BRIDGE' ]")
ok "create -p" "$XL" create -p "$cfg"
like "$(state l22)" "p" "the new domain is paused"
domid=$($DEBXL domid l22 2>/dev/null)
is "$(xs_read "/local/domain/$domid/name")" "l22" "xenstore has its name"
is "$($XL domid l22 2>&1)" "$domid" "our domid agrees"
ok "unpause" "$XL" unpause l22
wait_console l22 "$GUEST_BANNER" 90 && pass "the guest runs after unpause" ||
    fail "the guest runs after unpause"
ok "pause" "$XL" pause l22
like "$(state l22)" "p" "paused again"
ok "unpause again" "$XL" unpause l22

from=$(console_size l22)
ok "reboot" "$XL" reboot l22
# The monitor restarts it (on_reboot = "restart"): a new domid, a new boot.
if wait_for 60 sh -c "[ \"\$($DEBXL domid l22 2>/dev/null)\" != '' ] && [ \"\$($DEBXL domid l22)\" != $domid ]"; then
    pass "reboot gives a new domain (was $domid, now $($DEBXL domid l22))"
else
    fail "reboot gives a new domain (was $domid)"
fi
wait_console l22 "$GUEST_BANNER" 90 "$from" && pass "the rebooted guest boots" ||
    fail "the rebooted guest boots"

ok "shutdown -w" timeout 90 "$XL" shutdown -w l22
# -w returns once the guest has shut down (as the reference's: -ww waits
# for it to be gone); then on_poweroff=destroy removes it
wait_gone l22 "$(secs 30)" && pass "the shut down guest is destroyed (on_poweroff)" ||
    fail "the shut down guest is destroyed (on_poweroff)"

cfg2=$(guest_cfg d22 pv 'extra = "console=hvc0 loglevel=4 xlab.stay=1"')
$XL create -q "$cfg2" >/dev/null 2>&1
ok "destroy" "$XL" destroy d22
wait_gone d22 10 && pass "destroyed domain is gone" || fail "destroyed domain is gone"
done_testing
