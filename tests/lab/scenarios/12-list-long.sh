#!/bin/bash
# 12-list-long: `xl list -l` (ours gathers every domain's live config in
# pipelined xenstore reads, liveconfig.c) prints what Debian's xl prints,
# byte for byte, for dom0, PV, PVH and HVM guests with disks and vifs,
# after mem-set and vcpu-set, and when xenstore disagrees with the stored
# config in the ways libxl resolves: a vif gone from xenstore is dropped,
# an unreadable vif entry drops them all, an empty removable drive empties
# the stored disk. Timings of both xls go to $XLAB_OUT/list-long.txt.
# lab-timeout: 600
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
have_ours || skip_all "our xl is not built"

# The disagreements below are made by editing libxl's own xenstore
# records; libxl's destroy finds a guest's devices there, so each edit is
# undone (xs_save / xs_restore) before the guests go, or their backends
# would outlive them.
xs_save() { # xs_save PATH FILE: PATH's subtree as "path<TAB>value" lines
    xenstore-ls -f "$1" | sed -E 's/^([^ ]+) = "(.*)"$/\1\t\2/' >"$2"
}
xs_restore() { # xs_restore FILE
    local k v
    while IFS=$'\t' read -r k v; do xenstore-write "$k" "$v"; done <"$1"
}

field() { # field XL NAME: the guest's config text from `XL list -l NAME`
    "$1" list -l "$2" 2>/dev/null | tr -d '\n '
}

disk=$(guest_disk l12a)
cfga=$(guest_cfg l12a pv 'maxvcpus = 2' 'vcpus = 2' \
    "disk = [ '$disk,raw,xvda,w' ]" \
    "vif = [ 'mac=00:16:3e:12:00:01,bridge=$BRIDGE', 'mac=00:16:3e:12:00:02,bridge=$BRIDGE' ]")
cfgb=$(guest_cfg l12b pvh "vif = [ 'mac=00:16:3e:12:00:03,bridge=$BRIDGE' ]")
cfgc=$(guest_cfg l12c pv)
cfgh=$(guest_cfg l12h hvm)

ok "create PV guest l12a (2 vCPUs, a disk, 2 vifs), paused" \
    timeout "$(secs 120)" "$XL" create -p "$cfga"
ok "create PVH guest l12b (a vif), paused" \
    timeout "$(secs 120)" "$XL" create -p "$cfgb"
ok "create PV guest l12c (no devices), paused" \
    timeout "$(secs 120)" "$XL" create -p "$cfgc"
if timeout "$(secs 180)" "$XL" create -p "$cfgh" >"$XLAB_WORK/h.out" 2>&1; then
    pass "create HVM guest l12h, paused (libxl describes it: QEMU's vCPUs)"
else
    skip "create HVM guest l12h" "$(tail -n 1 "$XLAB_WORK/h.out")"
fi
a=$($DEBXL domid l12a)
b=$($DEBXL domid l12b)

xl_diff -m "list -l, dom0 and every guest, matches Debian's" list -l
xl_diff -m "list -l l12a matches Debian's" list -l l12a
xl_diff -m "list -l Domain-0 matches Debian's" list -l Domain-0
like "$(field "$XL" l12a)" '"mac":"00:16:3e:12:00:02"' "l12a shows its second vif"

# The files and sockets each xl opens for the HVM guest (the QMP lock and
# socket), kept for a human to compare.
if domain_exists l12h; then
    strace -f -e trace=openat,connect,unlink -o "$XLAB_OUT/strace-hvm-debian.txt" \
        "$DEBXL" list -l l12h >/dev/null 2>&1
    strace -f -e trace=openat,connect,unlink -o "$XLAB_OUT/strace-hvm-ours.txt" \
        "$XL" list -l l12h >/dev/null 2>&1
fi

# Live values: the memory target and the online vCPUs come from xenstore.
ok "mem-set l12a 100m" "$XL" mem-set l12a 100m
ok "vcpu-set l12a 1" "$XL" vcpu-set l12a 1
xl_diff -m "list -l after mem-set and vcpu-set matches Debian's" list -l
like "$(field "$XL" l12a)" '"avail_vcpus":\[0\]' "l12a lists vCPU 0 only as available"

# A vif in the stored config but not in xenstore is left out.
xs_save "/libxl/$a/device/vif/1" "$XLAB_WORK/vif1.xs"
xenstore-rm "/libxl/$a/device/vif/1"
xl_diff -m "list -l with a vif gone from xenstore matches Debian's" list -l
unlike "$(field "$XL" l12a)" '00:16:3e:12:00:02' "the vif gone from xenstore is left out"
like "$("$XL" list -l l12a 2>&1 >/dev/null)" \
    "domain $a: vif 1 of its stored config is not in xenstore; left out" \
    "our xl says which vif it left out (libxl's warning does not)"
xs_restore "$XLAB_WORK/vif1.xs"

# An empty removable drive empties the stored disk (libxl's disk merge).
vbd=$(xenstore-list "/libxl/$a/device/vbd" | head -n 1)
xs_save "/libxl/$a/device/vbd/$vbd" "$XLAB_WORK/vbd.xs"
xs_save "/libxl/$b/device/vif/0" "$XLAB_WORK/vifb.xs"
xenstore-write "/libxl/$a/device/vbd/$vbd/removable" 1 \
    "/libxl/$a/device/vbd/$vbd/params" ""
xl_diff -m "list -l with an empty removable drive matches Debian's" list -l
like "$(field "$XL" l12a)" '"format":"empty"' "the emptied drive shows format empty"

# A vif entry libxl cannot read (a bad MAC): libxl drops every vif of the
# domain; ours hands such a domain to libxl.
xenstore-write "/libxl/$b/device/vif/0/mac" "zz:00:00:00:00:00"
xl_diff -m "list -l with an unreadable vif entry matches Debian's" list -l
unlike "$(field "$XL" l12b)" '"nics"' "l12b's vifs are all left out, as libxl does"

# A disk entry missing a key libxl requires: the same.
xenstore-rm "/libxl/$a/device/vbd/$vbd/device-type"
xl_diff -m "list -l with an incomplete disk entry matches Debian's" list -l
unlike "$(field "$XL" l12a)" '"disks"' "l12a's disks are left out, as libxl does"

# Timings (figures, not tests): both xls, median of 3.
n=$($DEBXL list | awk 'NR > 1' | wc -l)
echo "list-l domains=$n ours=$(time_list "$XL") debian=$(time_list "$DEBXL")" \
    >>"$XLAB_OUT/list-long.txt"
diag "$(cat "$XLAB_OUT/list-long.txt")"

xs_restore "$XLAB_WORK/vbd.xs"
xs_restore "$XLAB_WORK/vifb.xs"
cleanup_domains
left=$(wait_clean 30)
is "$left" "" "no backend, loop device or vif left behind"
done_testing
