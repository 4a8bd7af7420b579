#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 23-on-events: the monitor applies the config's actions: on_reboot=restart
# really restarts the guest, on_crash=destroy removes a crashed guest,
# on_crash=preserve keeps it; the monitor's memory per domain is measured.
# lab-timeout: 300
. "$(dirname "$0")/lib.sh"
plan 8

# xlab.reboot=1: the guest reboots once (a flag on its disk), then powers off.
cfg=$(guest_cfg r23 pv 'extra = "console=hvc0 loglevel=4 xlab.reboot=1"' \
    "disk = [ 'file:$(guest_disk r23),xvda,w' ]")
ok "create r23 (reboots once)" "$XL" create "$cfg"
first=$($DEBXL domid r23 2>/dev/null)
pid=$(pgrep -f "xl-r23|create.*r23.cfg" | head -n 1)
if [ -n "$pid" ]; then
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    diag "monitor pid $pid RSS ${rss} kB"
    echo "monitor_rss_kb $rss" >"$XLAB_OUT/monitor-rss.txt"
    pass "a monitor process runs for r23 (RSS ${rss} kB)"
else
    fail "a monitor process runs for r23"
fi
if wait_for 120 sh -c "d=\$($DEBXL domid r23 2>/dev/null) && [ \"\$d\" != '$first' ]"; then
    pass "on_reboot=restart: r23 came back as a new domain"
else
    fail "on_reboot=restart: r23 came back as a new domain"
fi
wait_gone r23 120 && pass "after its second boot r23 powers off and is destroyed" ||
    fail "after its second boot r23 powers off and is destroyed"

cfg=$(guest_cfg c23 pv 'extra = "console=hvc0 loglevel=4 xlab.crash=1"')
ok "create c23 (crashes)" "$XL" create "$cfg"
wait_gone c23 120 && pass "on_crash=destroy: the crashed guest is gone" ||
    fail "on_crash=destroy: the crashed guest is gone"

cfg=$(guest_cfg p23 pv 'extra = "console=hvc0 loglevel=4 xlab.crash=1"' \
    'on_crash = "preserve"')
$XL create -q "$cfg" >/dev/null 2>&1
if wait_for 120 sh -c "$DEBXL list p23 2>/dev/null | awk 'NR==2 { exit !(\$5 ~ /c/) }'"; then
    pass "on_crash=preserve: the crashed guest is kept (state c)"
else
    fail "on_crash=preserve: the crashed guest is kept (state c)"
    "$DEBXL" list 2>&1 | sed 's/^/#   /'
fi
ok "destroy the preserved guest" "$XL" destroy p23
done_testing
