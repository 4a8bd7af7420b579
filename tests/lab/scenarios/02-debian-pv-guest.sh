#!/bin/bash
# 02-debian-pv-guest: Debian's xl runs a dom01-like PV guest (vif on xenbr0, file: disk) end to end.
# Proves the lab itself: backends connect, the guest boots and sees its
# devices, powers off, and nothing is left behind.
# lab-timeout: 180
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 12

name=dom02
mac=00:16:3e:d0:02:01
disk=$(guest_disk $name)
cfg=$(guest_cfg $name pv \
    "vif = [ 'mac=$mac,bridge=$BRIDGE' ]" \
    "disk = [ 'file:$disk,xvda,w' ]" \
    'extra = "console=hvc0 loglevel=4 xlab.ip=192.168.77.2/24 xlab.linger=3"')
cp "$cfg" "$XLAB_OUT/"

if ! ok "xl create -p (paused) of a PV guest with vif + file: disk" \
    timeout "$(secs 90)" "$DEBXL" create -p "$cfg"; then
    for _ in $(seq 2 12); do fail "(no guest: xl create failed)"; done
    done_testing
fi
domid=$("$DEBXL" domid $name 2>/dev/null)
like "$domid" '^[1-9][0-9]*$' "the guest has a domid"
vbd=/local/domain/0/backend/vbd/$domid/51712
vif=/local/domain/0/backend/vif/$domid/0
xenstore_dump "$XLAB_OUT/xenstore-paused.txt"

ok "xl unpause" "$DEBXL" unpause $name
# Backends reach 4 (connected) only once the guest's frontends load.
vs="" ns=""
for _ in $(seq 1 "$(secs 300)"); do
    vs=$(xs_read "$vbd"/state) ns=$(xs_read "$vif"/state)
    [ "$vs" = 4 ] && [ "$ns" = 4 ] && break
    domain_exists $name || break
    sleep 0.2
done
is "vbd=$vs vif=$ns" "vbd=4 vif=4" "both backends reach state 4 (connected)"
is "$(xs_read "$vbd"/hotplug-status) $(xs_read "$vif"/hotplug-status)" "connected connected" \
    "hotplug scripts report connected"
xenstore_dump "$XLAB_OUT/xenstore-running.txt"

wait_console $name "$GUEST_BANNER" 90
log=$(cat "$(console_log $name)" 2>/dev/null)
like "$log" "$GUEST_BANNER .*type=PV" "the guest prints its banner on the console"
like "$log" 'XLAB-DISK xvda .*fs=ext4 label=dom01-disk' "the guest reads its ext4 disk"
like "$log" "XLAB-NET eth0 mac=$mac" "the guest has its vif with the configured MAC"
like "$log" 'XLAB-PING-OK' "the guest pings dom0 over xenbr0"

ok "the guest powers off and the domain goes away" wait_gone $name 90
left=$(wait_clean 10)
is "$left" "" "no backend, loop device or vif left behind"
is "$(xs_read "/local/domain/$domid/name")" "" "the guest's xenstore directory is gone"
diag_file "$(console_log $name)" 12
done_testing
