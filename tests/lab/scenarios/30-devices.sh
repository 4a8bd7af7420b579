#!/bin/bash
# 30-devices: our hotplug scripts wire a PV guest's vif and two disks (raw file, phy loop device).
# Debian's xl drives the guest with script= pointing at our scripts, so
# this proves the scripts alone on real Xen: backends reach state 4, the
# guest reads a marker from each disk and pings dom0 over the bridge, our
# xl's block-list/network-list match Debian's, and destroy leaves nothing.
# lab-timeout: 240
# shellcheck disable=SC2086 # domids, names and fixed paths: no spaces

# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"
plan 23

S=/usr/local/libexec/xl-toolstack/scripts
name=g30
mac=00:16:3e:30:00:01
disk=$(guest_disk $name)
phyimg=$XLAB_WORK/$name-phy.img
printf 'XLAB-PHY-MARK30' >"$phyimg"
truncate -s 8M "$phyimg"
loop=$(losetup -f --show "$phyimg")
like "$loop" '^/dev/loop[0-9]+$' "a loop device stands in for a phy disk"
ro=$XLAB_WORK/$name-ro.img
printf 'XLAB-RO-MARK30' >"$ro"
truncate -s 4M "$ro"

cfg=$(guest_cfg $name pv \
    "vif = [ 'mac=$mac,bridge=$BRIDGE,script=$S/vif-bridge' ]" \
    "disk = [ 'format=raw,vdev=xvda,access=w,script=$S/block,target=$disk'," \
    "         'vdev=xvdb,access=w,script=$S/block,target=$loop'," \
    "         'vdev=xvdc,access=r,script=$S/block,target=$ro' ]" \
    'extra = "console=hvc0 loglevel=4 xlab.ip=192.168.77.30/24 xlab.stay=1"')
cp "$cfg" "$XLAB_OUT/"

ok "Debian's xl creates the guest with our scripts" timeout 90 $DEBXL create -p "$cfg"
domid=$($DEBXL domid $name 2>/dev/null)
be=/local/domain/0/backend
xenstore_dump "$XLAB_OUT/xenstore-paused.txt"
is "$(xs_read $be/vbd/$domid/51712/script)" "$S/block" "the vbd backend runs our block script"
is "$(xs_read $be/vif/$domid/0/script)" "$S/vif-bridge" "the vif backend runs our vif-bridge"
node=$(xs_read $be/vbd/$domid/51712/node)
like "$node" '^/dev/loop[0-9]+$' "the raw file went through a loop device, remembered in node"
like "$(xs_read $be/vbd/$domid/51712/physical-device-path)" "^${node:-/dev/loop-none}\$" \
    "physical-device-path names that loop device"
is "$(xs_read $be/vbd/$domid/51728/physical-device-path)" "$loop" \
    "the phy disk is used as is"
is "$(xs_read $be/vbd/$domid/51728/physical-device)" "$(stat -L -c '%t:%T' "$loop")" \
    "physical-device is its hex major:minor"
ronode=$(xs_read $be/vbd/$domid/51744/node)
is "$(losetup -n -O RO "$ronode" 2>/dev/null | tr -d ' ')" "1" \
    "the access=r file got a read-only loop device"

ok "unpause" $DEBXL unpause $name
st=""
for _ in $(seq 1 300); do
    st="$(xs_read $be/vbd/$domid/51712/state) $(xs_read $be/vbd/$domid/51728/state)"
    st="$st $(xs_read $be/vbd/$domid/51744/state) $(xs_read $be/vif/$domid/0/state)"
    [ "$st" = "4 4 4 4" ] && break
    domain_exists $name || break
    sleep 0.2
done
is "$st" "4 4 4 4" "all four backends reach state 4"
is "$(for d in 51712 51728 51744; do xs_read $be/vbd/$domid/$d/hotplug-status; done |
    tr '\n' ' ')$(xs_read $be/vif/$domid/0/hotplug-status)" \
    "connected connected connected connected" "every script reported connected"
ok "vif$domid.0 is a port of $BRIDGE" test -e /sys/class/net/$BRIDGE/brif/vif$domid.0
is "$(cat /sys/class/net/vif$domid.0/mtu)" "$(cat /sys/class/net/$BRIDGE/mtu)" \
    "the vif has the bridge's MTU"

wait_console $name XLAB-STAYING-UP 90
log=$(cat "$(console_log $name)" 2>/dev/null)
like "$log" 'XLAB-DISK xvda .*label=dom01-disk' "the guest reads the raw file disk (ext4 label)"
like "$log" 'XLAB-DISK xvdb .*raw=XLAB-PHY-MARK30' "the guest reads the marker of the phy disk"
like "$log" 'XLAB-DISK xvdc .*ro=1 .*raw=XLAB-RO-MARK30' "the guest sees xvdc read-only with its marker"
like "$log" "XLAB-NET eth0 mac=$mac" "the guest has its vif with the configured MAC"
like "$log" 'XLAB-PING-OK' "the guest pings dom0 (192.168.77.1) over $BRIDGE"

xl_diff block-list $name
xl_diff network-list $name

ok "destroy" timeout 60 $DEBXL destroy $name
losetup -d "$loop"
left=""
for _ in $(seq 1 50); do
    left=$(leftovers)
    [ -z "$left" ] && break
    sleep 0.2
done
is "$left" "" "no backend, loop device or vif left behind"
grep -a "block\|vif-bridge" /var/log/xen/xen-hotplug.log >"$XLAB_OUT/hotplug.log" 2>/dev/null
diag_file "$(console_log $name)" 12
done_testing
