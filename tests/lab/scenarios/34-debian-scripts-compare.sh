#!/bin/bash
# 34-debian-scripts-compare: the same guest under Debian's xl + Debian's scripts and under our xl + our scripts writes the same backend nodes.
# The vbd (raw file through a loop device) and vif backend directories
# are dumped once each guest is connected, normalised (domid, loop number,
# script path, frontend path) and compared; the guest's own view of its
# disk and NIC must match too.
# lab-timeout: 300
# shellcheck disable=SC2086 # domids, names and fixed paths: no spaces

# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"
plan 13

S=/usr/local/libexec/xl-toolstack/scripts
name=g34
mac=00:16:3e:34:00:01
disk=$(guest_disk $name)
cfg=$(guest_cfg $name pv \
    "vif = [ 'mac=$mac,bridge=$BRIDGE' ]" \
    "disk = [ 'file:$disk,xvda,w' ]" \
    'extra = "console=hvc0 loglevel=4 xlab.ip=192.168.77.34/24 xlab.stay=1"')
cp "$cfg" "$XLAB_OUT/"

# dump DOMID: the guest's backend nodes, normalised, sorted.
dump() {
    local d=$1
    {
        xenstore-ls -f /local/domain/0/backend/vbd/$d
        xenstore-ls -f /local/domain/0/backend/vif/$d
    } 2>/dev/null | sed -E \
        -e "s#/(vbd|vif)/$d/#/\\1/D/#" \
        -e "s#/local/domain/$d/#/local/domain/D/#g" \
        -e "s#^(.*/frontend-id) = \"$d\"#\\1 = \"D\"#" \
        -e 's#/dev/loop[0-9]+#/dev/loopN#g' \
        -e 's#^(.*/physical-device) = "7:[0-9a-f]+"#\1 = "7:N"#' \
        -e 's#^(.*/script) = ".*/([^/]*)"#\1 = ".../\2"#' |
        sort
}

# run_guest XLBIN TAG: create, wait for state 4 and the guest's report,
# dump the backends and the guest's view, destroy.
run_guest() {
    local xlbin=$1 tag=$2 domid st
    ok "$tag: create" timeout 90 $xlbin create "$cfg" || return 1
    domid=$($DEBXL domid $name)
    st=""
    for _ in $(seq 1 300); do
        st="$(xs_read /local/domain/0/backend/vbd/$domid/51712/state) $(xs_read /local/domain/0/backend/vif/$domid/0/state)"
        [ "$st" = "4 4" ] && break
        sleep 0.2
    done
    is "$st" "4 4" "$tag: vbd and vif backends reach state 4"
    wait_console $name XLAB-STAYING-UP 90
    dump $domid >"$XLAB_OUT/backend-$tag.txt"
    grep -a '^XLAB-\(DISK\|NET\|PING\)' "$(console_log $name)" | tr -d '\r' >"$XLAB_OUT/guest-$tag.txt"
    xs_read /local/domain/0/backend/vbd/$domid/51712/script >"$XLAB_OUT/script-$tag.txt"
    ok "$tag: destroy" timeout 60 $xlbin destroy $name
    wait_gone $name 30
    : >"$(console_log $name)"
}

run_guest "$DEBXL" debian
like "$(cat "$XLAB_OUT/script-debian.txt")" '^/etc/xen/scripts/block$' "Debian's run used Debian's block script"
run_guest "$XL" ours
is "$(cat "$XLAB_OUT/script-ours.txt")" "$S/block" "our run used our block script"

# Deliberate: our vif-bridge writes the bridge's MTU to the backend's
# "mtu" node (netfront reads it); Debian's 4.17 script does not.
like "$(cat "$XLAB_OUT/backend-ours.txt")" '/vif/D/0/mtu = "1500"' \
    "our vif-bridge wrote the bridge's MTU (1500) for the guest"
grep -v '/vif/D/0/mtu = ' "$XLAB_OUT/backend-ours.txt" >"$XLAB_OUT/backend-ours-nomtu.txt"
grep -v '/vif/D/0/mtu = ' "$XLAB_OUT/backend-debian.txt" >"$XLAB_OUT/backend-debian-nomtu.txt"
if diff -u "$XLAB_OUT/backend-debian-nomtu.txt" "$XLAB_OUT/backend-ours-nomtu.txt" >"$XLAB_OUT/backend.diff"; then
    pass "the backend nodes are the same (normalised, mtu apart)"
else
    fail "the backend nodes are the same (normalised, mtu apart)"
    diag_file "$XLAB_OUT/backend.diff" 40
fi
is "$(cat "$XLAB_OUT/guest-ours.txt")" "$(cat "$XLAB_OUT/guest-debian.txt")" \
    "the guest sees the same disk and NIC and pings dom0 in both runs"
like "$(cat "$XLAB_OUT/guest-ours.txt")" 'XLAB-PING-OK' "(and it did ping dom0)"

left=""
for _ in $(seq 1 50); do
    left=$(leftovers)
    [ -z "$left" ] && break
    sleep 0.2
done
is "$left" "" "no backend, loop device or vif left behind"
done_testing
