#!/bin/bash
# 33-injection: every config string that reaches a hotplug script is data: shell syntax in it runs nothing.
# Debian's xl passes the strings to our scripts unchanged (script= set),
# our xl passes them with its default scripts; either way the attach must
# fail with the script's "refusing ..." reason, no marker file may appear
# and no backend may remain.
# lab-timeout: 300
# shellcheck disable=SC2086 # domids, names and fixed paths: no spaces

# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"

S=/usr/local/libexec/xl-toolstack/scripts
P=/tmp/xlab-pwned
rm -f "$P"-*
name=g33
cfg=$(guest_cfg $name pv "disk = [ '$(guest_disk $name),raw,xvda,w' ]")
if ! ok "create $name (paused)" timeout 90 $XL create -p "$cfg"; then
    done_testing
fi
domid=$($DEBXL domid $name)
be=/local/domain/0/backend

# refused XLBIN WHAT ARGS...: the attach fails, the reason is a refusal,
# nothing ran, no vif backend beyond devid 0 and no new vbd remains.
n=0
refused() {
    local xlbin=$1 what=$2 err rc
    shift 2
    n=$((n + 1))
    err=$(timeout 60 "$xlbin" "$@" 2>&1)
    rc=$?
    sleep 0.5
    local bad=""
    [ "$rc" = 0 ] && bad="$bad exit 0;"
    ls "$P"-* >/dev/null 2>&1 && bad="$bad a marker file appeared;"
    # Debian's xl leaves the failed device's backend in the store (the
    # case below cleans it); ours must not.
    if [ "$xlbin" = "$XL" ]; then
        [ -n "$(xenstore-list $be/vif/$domid 2>/dev/null)" ] && bad="$bad a vif backend remains;"
        [ "$(xenstore-list $be/vbd/$domid 2>/dev/null | wc -l)" -le 1 ] ||
            bad="$bad a vbd backend remains;"
    fi
    # Debian's xl hands the string to the script, which must refuse it;
    # ours may already refuse it while parsing the spec.
    local want="refusing"
    [ "$xlbin" = "$XL" ] && want="refusing\|: error: "
    printf '%s' "$err" | grep -q "$want" || bad="$bad no refusal in the message;"
    local who="our xl"
    [ "$xlbin" = "$XL" ] || who="Debian's xl"
    if [ -z "$bad" ]; then
        pass "$who: $what is refused"
    else
        fail "$who: $what is refused"
        diag "problems:$bad exit $rc"
        diag "xl said: $(printf '%s' "$err" | tail -n 4)"
    fi
    # Clean any half-made device so the next case starts clean.
    for d in $(xenstore-list $be/vif/$domid 2>/dev/null); do
        $DEBXL network-detach $name "$d" >/dev/null 2>&1
    done
    # a failed xvdb (51728) that Debian's xl left in the store
    # (backend, frontend and libxl's own record of it)
    if xenstore-read "$be/vbd/$domid/51728/state" >/dev/null 2>&1 ||
        xenstore-read "/libxl/$domid/device/vbd/51728/frontend" >/dev/null 2>&1; then
        timeout 30 $DEBXL block-detach $name xvdb >/dev/null 2>&1
        for p in "$be/vbd/$domid/51728" "/local/domain/$domid/device/vbd/51728" \
            "/libxl/$domid/device/vbd/51728"; do
            xenstore-rm "$p" 2>/dev/null
        done
    fi
}

for xlbin in "$DEBXL" "$XL"; do
    refused $xlbin "bridge with ;" network-attach $name "script=$S/vif-bridge" "bridge=br0;touch $P-1"
    refused $xlbin "bridge with \$()" network-attach $name "script=$S/vif-bridge" "bridge=\$(touch $P-2)"
    refused $xlbin "vifname with backticks" network-attach $name "script=$S/vif-bridge" \
        "bridge=$BRIDGE" "vifname=\`touch $P-3\`"
    refused $xlbin "vifname with |" network-attach $name "script=$S/vif-bridge" \
        "bridge=$BRIDGE" "vifname=x|touch $P-4"
    refused $xlbin "ip with ; (vif-route)" network-attach $name "script=$S/vif-route" \
        "gatewaydev=$BRIDGE" "ip=10.0.0.1;touch $P-5"
    refused $xlbin "ip with \$() (vif-nat)" network-attach $name "script=$S/vif-nat" \
        "gatewaydev=$BRIDGE" "ip=\$(touch $P-6)"
    refused $xlbin "gatewaydev with ; (vif-route)" network-attach $name "script=$S/vif-route" \
        "gatewaydev=xenbr0;touch $P-7" "ip=10.0.0.1"
    refused $xlbin "disk target with \$()" block-attach $name \
        "vdev=xvdb,script=$S/block,target=/tmp/\$(touch $P-8).img"
    refused $xlbin "disk target with ;" block-attach $name \
        "vdev=xvdb,script=$S/block,target=/tmp/x;touch $P-9"
    refused $xlbin "disk target with a space" block-attach $name \
        "vdev=xvdb,script=$S/block,target=/tmp/a b"
done

if ls "$P"-* >/dev/null 2>&1; then
    fail "no marker file exists at the end"
else
    pass "no marker file exists at the end"
fi
ok "destroy" timeout 60 $XL destroy $name
left=""
for _ in $(seq 1 50); do
    left=$(leftovers)
    [ -z "$left" ] && break
    sleep 0.2
done
is "$left" "" "no backend, loop device or vif left behind"
grep -a 'refusing' /var/log/xen/xen-hotplug.log >"$XLAB_OUT/refusals.log" 2>/dev/null
done_testing
