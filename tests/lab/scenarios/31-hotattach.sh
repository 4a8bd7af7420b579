#!/bin/bash
# 31-hotattach: our xl hot-attaches and detaches a disk and a vif on a running PV guest.
# The guest is created by our xl with no script= at all, so this also
# proves that our xl points libxl at our scripts by default. "Seen inside
# the guest": the guest's blkfront/netfront reach state 4 (connected) in
# its own xenstore directory and its kernel reports the new disk.
# lab-timeout: 300
# shellcheck disable=SC2086 # domids, names and fixed paths: no spaces

# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"
plan 28

S=/usr/local/libexec/xl-toolstack/scripts
name=g31
mac=00:16:3e:31:00:01
mac2=00:16:3e:31:00:02
disk=$(guest_disk $name)
hot=$XLAB_WORK/$name-hot.img
printf 'XLAB-HOT-MARK31' >"$hot"
truncate -s 8M "$hot"
cfg=$(guest_cfg $name pv \
    "vif = [ 'mac=$mac,bridge=$BRIDGE' ]" \
    "disk = [ '$disk,raw,xvda,w' ]" \
    'extra = "console=hvc0 loglevel=7 xlab.stay=1"')
cp "$cfg" "$XLAB_OUT/"

ok "our xl creates the guest" timeout 90 $XL create "$cfg"
domid=$($DEBXL domid $name 2>/dev/null)
be=/local/domain/0/backend
fe=/local/domain/$domid/device
is "$(xs_read $be/vbd/$domid/51712/script)" "$S/block" \
    "without script=, the disk uses our block script"
is "$(xs_read $be/vif/$domid/0/script)" "$S/vif-bridge" \
    "without script=, the vif uses our vif-bridge"
wait_console $name XLAB-STAYING-UP 120 || diag "guest did not report XLAB-STAYING-UP"

# --- disk ---
ok "block-attach a raw file as xvdc" timeout 60 $XL block-attach $name "$hot,raw,xvdc,w"
ok "the guest's blkfront for xvdc connects (frontend state 4)" \
    wait_for 30 sh -c "[ \"\$(xenstore-read $fe/vbd/51744/state 2>/dev/null)\" = 4 ]"
is "$(xs_read $be/vbd/$domid/51744/hotplug-status)" connected "our block script connected xvdc"
like "$(xs_read $be/vbd/$domid/51744/node)" '^/dev/loop[0-9]+$' "xvdc went through a loop device"
ok "the guest kernel reports xvdc" wait_console $name "xvdc" 30
out=$($XL block-list $name)
like "$(printf "%s\n" "$out" | grep "^51744")" "^51744 +0 +$domid +4 " "block-list shows xvdc connected"
xl_diff block-list $name
ok "block-detach xvdc" timeout 60 $XL block-detach $name xvdc
ok "xvdc's backend and frontend are gone" \
    wait_for 30 sh -c "! xenstore-read $be/vbd/$domid/51744/state && ! xenstore-read $fe/vbd/51744/state"
is "$(losetup -j "$hot" | wc -l)" 0 "its loop device was detached"

# detach by devid, and -f
ok "block-attach again (key=value arguments)" timeout 60 $XL block-attach $name format=raw vdev=xvdc "target=$hot"
ok "block-detach by devid (51744)" timeout 60 $XL block-detach $name 51744
ok "block-attach again" timeout 60 $XL block-attach $name "$hot,,xvdc"
ok "block-detach -f" timeout 60 $XL block-detach -f $name xvdc
wait_for 30 sh -c "[ \$(losetup -j '$hot' | wc -l) = 0 ]"
is "$(losetup -j "$hot" | wc -l)" 0 "after -f, no loop device either"

# --- vif ---
ok "network-attach a second vif" timeout 60 $XL network-attach $name mac=$mac2 bridge=$BRIDGE
ok "the guest's netfront for vif 1 connects (frontend state 4)" \
    wait_for 30 sh -c "[ \"\$(xenstore-read $fe/vif/1/state 2>/dev/null)\" = 4 ]"
ok "vif$domid.1 is a port of $BRIDGE" test -e /sys/class/net/$BRIDGE/brif/vif$domid.1
out=$($XL network-list $name)
like "$out" "$mac2" "network-list shows the new vif"
xl_diff network-list $name
ok "network-detach by MAC" timeout 60 $XL network-detach $name $mac2
ok "vif$domid.1 and its backend are gone" \
    wait_for 30 sh -c "[ ! -e /sys/class/net/vif$domid.1 ] && ! xenstore-read $be/vif/$domid/1/state"
ok "network-attach, then network-detach by devid" \
    sh -c "timeout 60 $XL network-attach $name mac=$mac2 && timeout 60 $XL network-detach $name 1"

ok "destroy" timeout 60 $XL destroy $name
left=""
for _ in $(seq 1 50); do
    left=$(leftovers)
    [ -z "$left" ] && break
    sleep 0.2
done
is "$left" "" "no backend, loop device or vif left behind"
diag_file "$(console_log $name)" 15
done_testing
