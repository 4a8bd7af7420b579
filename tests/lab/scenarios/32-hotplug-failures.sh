#!/bin/bash
# 32-hotplug-failures: hotplug failures give one clear xl message with the script's reason and leave nothing behind.
# Cases: missing bridge and missing file at create (no domain may
# remain), then on running guests: a device mounted in dom0, a file
# already used read-write by another domain (hotplug-status busy), and a
# custom script that fails with its own hotplug-error.
# lab-timeout: 300
# shellcheck disable=SC2086 # domids, names and fixed paths: no spaces

# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"
plan 22

be=/local/domain/0/backend

# settled: leftovers() once libxl's cleanup had time to finish.
settled() {
    local left=""
    for _ in $(seq 1 50); do
        left=$(leftovers)
        [ -z "$left" ] && break
        sleep 0.2
    done
    printf '%s' "$left"
}

# --- create-time failures: no domain may be left ---
cfg=$(guest_cfg f32a pv "vif = [ 'bridge=nosuchbr32' ]" \
    "disk = [ '$(guest_disk f32a),raw,xvda,w' ]")
err=$(timeout 90 $XL create "$cfg" 2>&1)
rc=$?
isnt "$rc" 0 "create with a missing bridge fails"
like "$err" 'bridge nosuchbr32 does not exist' "the message carries vif-bridge's reason"
diag "our xl said: $(printf '%s' "$err" | tail -n 5)"
ok "no domain f32a remains" sh -c "! $DEBXL domid f32a"
is "$(settled)" "" "no backend, loop device or vif left behind (missing bridge)"

cfg=$(guest_cfg f32b pv "disk = [ '/var/lib/xl-lab/nonexistent32.img,raw,xvda,w' ]")
err=$(timeout 90 $XL create "$cfg" 2>&1)
rc=$?
isnt "$rc" 0 "create with a missing disk file fails"
like "$err" 'nonexistent32.img does not exist' "the message carries the block script's reason"
diag "our xl said: $(printf '%s' "$err" | tail -n 5)"
ok "no domain f32b remains" sh -c "! $DEBXL domid f32b"
is "$(settled)" "" "no backend, loop device or vif left behind (missing file)"

# --- attach-time failures on running guests ---
name=g32
disk=$(guest_disk $name)
cfg=$(guest_cfg $name pv "disk = [ '$disk,raw,xvda,w' ]")
ok "create $name (paused is enough for hotplug)" timeout 90 $XL create -p "$cfg"
cfg=$(guest_cfg g32b pv "disk = [ '$(guest_disk g32b),raw,xvda,w' ]")
ok "create g32b" timeout 90 $XL create -p "$cfg"
domid=$($DEBXL domid $name)
domb=$($DEBXL domid g32b)
loops_before=$(losetup -a | wc -l)

# A device mounted read-write in dom0.
img=$XLAB_WORK/mounted.img
truncate -s 16M "$img"
mkfs.ext4 -q -F "$img"
loop=$(losetup -f --show "$img")
mkdir -p "$XLAB_WORK/mnt"
mount "$loop" "$XLAB_WORK/mnt"
loops_before=$(losetup -a | wc -l)
err=$(timeout 60 $XL block-attach $name "phy:$loop,xvdb,w" 2>&1)
isnt "$?" 0 "attaching a device mounted in dom0 fails"
like "$err" "in use in dom0" "the message says it is mounted in dom0"
diag "our xl said: $err"
ok "no backend remains for xvdb" sh -c "! xenstore-read $be/vbd/$domid/51728/state"
umount "$XLAB_WORK/mnt"
losetup -d "$loop"

# A file another domain uses read-write (through its loop device).
loops_before=$(losetup -a | wc -l)
err=$(timeout 60 $XL block-attach g32b "$disk,raw,xvdb,w" 2>&1)
isnt "$?" 0 "attaching a file used read-write by another domain fails"
like "$err" "already used by domain $domid" "the message names the domain using it"
diag "our xl said: $err"
ok "no backend remains for g32b's xvdb" sh -c "! xenstore-read $be/vbd/$domb/51728/state"
is "$(losetup -a | wc -l)" "$loops_before" "no loop device was left behind"

# A custom script that fails with its own reason.
fs=$XLAB_WORK/failing-block
cat >"$fs" <<'EOF'
#!/bin/sh
[ "$1" = add ] || exit 0
xenstore-write "$XENBUS_PATH/hotplug-error" "custom script says no (case 32)" \
    "$XENBUS_PATH/hotplug-status" error
exit 1
EOF
chmod +x "$fs"
err=$(timeout 60 $XL block-attach $name "vdev=xvdc,script=$fs,target=$disk" 2>&1)
isnt "$?" 0 "a script that exits 1 fails the attach"
like "$err" "custom script says no \(case 32\)" "the message carries that script's own reason"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "it is one line"
diag "our xl said: $err"

ok "destroy both guests" sh -c "timeout 60 $XL destroy $name && timeout 60 $XL destroy g32b"
is "$(settled)" "" "nothing left behind at the end"
done_testing
