#!/bin/bash
# TAP: the hotplug scripts' validation, injection and failure reporting,
# run on the host against a fake xenstore (a directory tree) and fake ip,
# losetup and iptables that only record their calls (tests/hotplug/fakebin).
# What they do to real devices is proven in the lab (scenarios 30-34).
set -uo pipefail
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
SRC=$(cd "$SRC" && pwd)
SCRIPTS=$SRC/hotplug
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export FAKE_XS=$T/xs FAKE_CALLS=$T/calls
export XEN_HOTPLUG_LOG=$T/log/xen-hotplug.log XEN_HOTPLUG_LOCKDIR=$T/lock
export PATH=$SRC/tests/hotplug/fakebin:$PATH

n=0
fails=0
ok() { # ok COND-STATUS DESCRIPTION [DIAG]
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        fails=$((fails + 1))
        echo "not ok $n - $2"
        [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
    fi
}

# reset: empty store and call log; a vbd and a vif backend at InitWait.
reset() {
    rm -rf "$FAKE_XS" "$T/pwned"*
    : >"$FAKE_CALLS"
    mkdir -p "$FAKE_XS"
    xs backend/vbd/5/51712/state 2
    xs backend/vbd/5/51712/frontend-id 5
    xs backend/vbd/5/51712/type phy
    xs backend/vbd/5/51712/mode w
    xs backend/vif/5/0/state 2
    xs backend/vif/5/0/frontend-id 5
}
xs() { mkdir -p "$FAKE_XS/$(dirname "$1")" && printf '%s' "$2" >"$FAKE_XS/$1"; }
xsget() { cat "$FAKE_XS/$1" 2>/dev/null; }

# run SCRIPT XENBUS_PATH ARGS...: runs it; sets rc and out (its stdout+err
# when the log file is not writable).
run() {
    local script=$1 path=$2
    shift 2
    local type=${path#backend/}
    out=$(XENBUS_PATH=$path XENBUS_TYPE=${type%%/*} \
        XENBUS_BASE_PATH=backend vif=vif5.0 \
        "$SCRIPTS/$script" "$@" 2>&1)
    rc=$?
}

# refused DESC SCRIPT PATH PATTERN ARGS...: exit 1, hotplug-status=error,
# hotplug-error matching PATTERN, nothing injected ran, no device command.
refused() {
    local desc=$1 script=$2 path=$3 pattern=$4
    shift 4
    run "$script" "$path" "$@"
    local st err diag
    st=$(xsget "$path/hotplug-status")
    err=$(xsget "$path/hotplug-error")
    diag="rc=$rc status=$st error=$err calls: $(tr '\n' '|' <"$FAKE_CALLS")"
    [ "$rc" = 1 ] && [ "$st" = error ] && [[ $err == *$pattern* ]] &&
        ! ls "$T"/pwned* >/dev/null 2>&1 &&
        ! grep -Eq '^(ip|losetup|iptables) ' "$FAKE_CALLS"
    ok $? "$desc" "$diag"
}

inject=(
    "br0;touch $T/pwned1"
    "\$(touch $T/pwned2)"
    "\`touch $T/pwned3\`"
    "br0 && touch $T/pwned4"
    "br0|touch $T/pwned5"
    "br0
touch $T/pwned6"
    "*"
    "../../etc"
    "-x"
    "averyveryverylongbridgename"
)

# --- vif-bridge: every string from the config that reaches a command ---
for v in "${inject[@]}"; do
    reset
    xs backend/vif/5/0/bridge "$v"
    refused "vif-bridge refuses bridge '$(printf '%s' "$v" | tr '\n' '?')'" \
        vif-bridge backend/vif/5/0 "refusing bridge" online type_if=vif
done
for v in "${inject[@]}"; do
    reset
    xs backend/vif/5/0/vifname "$v"
    refused "vif-bridge refuses vifname '$(printf '%s' "$v" | tr '\n' '?')'" \
        vif-bridge backend/vif/5/0 "refusing vifname" online type_if=vif
done

reset
xs backend/vif/5/0/bridge nosuchbr0
refused "vif-bridge: a missing bridge is a clear error" \
    vif-bridge backend/vif/5/0 "bridge nosuchbr0 does not exist" online
reset
xs backend/vif/5/0/bridge lo
refused "vif-bridge: an interface that is not a bridge is refused" \
    vif-bridge backend/vif/5/0 "lo is not a bridge" online

reset
xs backend/vif/5/0/bridge xenbr0
refused "vif-bridge refuses an unknown action" \
    vif-bridge backend/vif/5/0 "unknown action" 'reboot;touch x'
reset
# shellcheck disable=SC2016 # literal on purpose: it must not expand
refused "vif-bridge refuses an unknown argument" \
    vif-bridge backend/vif/5/0 "unknown argument" online 'type_if=$(id)'

# offline of a vif that is already gone: nothing to do, no error.
reset
run vif-bridge backend/vif/5/0 offline type_if=vif
[ "$rc" = 0 ] && [ -z "$(xsget backend/vif/5/0/hotplug-status)" ]
ok $? "vif-bridge offline of a vanished vif succeeds quietly" "rc=$rc"

# --- vif-route / vif-nat: ip= and gatewaydev ---
for v in "10.0.0.2;touch $T/pwned1" "\$(touch $T/pwned2)" "10.0.0.256" \
    "1.2.3.4/33" "*" "10.0.0.2 fe80::1" "10.0.0.2
touch"; do
    reset
    xs backend/vif/5/0/ip "$v"
    refused "vif-route refuses ip '$(printf '%s' "$v" | tr '\n' '?')'" \
        vif-route backend/vif/5/0 "refusing ip" online type_if=vif
    reset
    xs backend/vif/5/0/ip "$v"
    refused "vif-nat refuses ip '$(printf '%s' "$v" | tr '\n' '?')'" \
        vif-nat backend/vif/5/0 "refusing ip" online type_if=vif
done
reset
refused "vif-nat needs ip=" vif-nat backend/vif/5/0 "needs ip=" online
reset
xs backend/vif/5/0/ip 10.0.0.128
refused "vif-nat refuses a guest address whose router address ends in 255" \
    vif-nat backend/vif/5/0 "would be 10.0.0.255" online
reset
xs backend/vif/5/0/ip 10.0.0.2
run vif-route backend/vif/5/0 online
out2=$(
    export netdev="eth0;touch $T/pwned1"
    run vif-route backend/vif/5/0 online
    echo "$rc $(xsget backend/vif/5/0/hotplug-error)"
)
[[ $out2 == "1 refusing gatewaydev"* ]] && ! ls "$T"/pwned* >/dev/null 2>&1
ok $? "vif-route refuses an injected gatewaydev (netdev)" "$out2"

# --- block ---
blk=backend/vbd/5/51712
for v in "/tmp/a b" "/tmp/\$(touch $T/pwned1)" "/tmp/x;touch $T/pwned2" \
    "relative/disk.img" "/tmp/\`touch $T/pwned3\`" "/tmp/a
b" "/tmp/*" "-rf"; do
    reset
    xs $blk/params "$v"
    refused "block refuses params '$(printf '%s' "$v" | tr '\n' '?')'" \
        block $blk "refusing disk target" add
done

reset
xs $blk/params "$T/missing.img"
refused "block: a missing file is a clear error" block $blk \
    "$T/missing.img does not exist" add

reset
xs $blk/params "$T"
refused "block: a directory is refused" block $blk \
    "neither a block device nor a regular file" add

reset
: >"$T/disk.img"
xs $blk/params "$T/disk.img"
xs $blk/mode "rw;touch $T/pwned1"
refused "block refuses an unknown mode" block $blk "unknown access mode" add

reset
xs $blk/params "$T/disk.img"
xs $blk/type "iscsi;touch $T/pwned1"
refused "block refuses another disk type" block $blk "unsupported disk type" add

# A backend that left InitWait (libxl timed out) gets no loop device.
reset
xs $blk/params "$T/disk.img"
xs $blk/state 6
refused "block: no loop device for a backend that left InitWait" block $blk \
    "left InitWait" add
[ -e "$T/lock/block" ]
ok $? "block takes its lock under XEN_HOTPLUG_LOCKDIR"

# A symlink that leads somewhere odd is refused after resolution.
reset
mkdir -p "$T/odd dir"
: >"$T/odd dir/x.img"
ln -sf "$T/odd dir/x.img" "$T/link.img"
xs $blk/params "$T/link.img"
refused "block: a symlink to a path with spaces is refused" block $blk \
    "not a plain path" add

# Already connected (libxl may run add twice): no change.
reset
xs $blk/params "$T/disk.img"
xs $blk/physical-device 7:9
run block $blk add
[ "$rc" = 0 ] && ! grep -q '^losetup' "$FAKE_CALLS"
ok $? "block add is a no-op when physical-device is set" "rc=$rc"

# remove: only a loop device recorded in node is detached.
reset
run block $blk remove
[ "$rc" = 0 ] && ! grep -q '^losetup' "$FAKE_CALLS"
ok $? "block remove without node does nothing" "rc=$rc"
reset
xs $blk/node "/dev/loop0;touch $T/pwned1"
run block $blk remove
[ "$rc" = 0 ] && ! grep -q '^losetup' "$FAKE_CALLS" && ! ls "$T"/pwned* >/dev/null 2>&1
ok $? "block remove ignores a node that is not a loop device" "rc=$rc"
reset
xs $blk/node /dev/loop3
run block $blk remove
[ "$rc" = 0 ] && grep -qx 'losetup -- /dev/loop3' "$FAKE_CALLS" &&
    grep -qx 'losetup -d /dev/loop3' "$FAKE_CALLS" && [ ! -e "$FAKE_XS/$blk/node" ]
ok $? "block remove detaches the recorded loop device and forgets it" \
    "$(cat "$FAKE_CALLS")"

# --- the common file ---
reset
out=$(XENBUS_PATH="backend/vbd/5/0;touch $T/pwned1" "$SCRIPTS/block" add 2>&1)
rc=$?
[ "$rc" = 1 ] && [ ! -s "$FAKE_CALLS" ] && ! ls "$T"/pwned* >/dev/null 2>&1
ok $? "a malformed XENBUS_PATH stops the script before any store access" \
    "rc=$rc calls=$(cat "$FAKE_CALLS")"
reset
out=$(env -u XENBUS_PATH "$SCRIPTS/vif-bridge" online 2>&1)
[ $? = 1 ] && [ ! -s "$FAKE_CALLS" ]
ok $? "a missing XENBUS_PATH is refused" "$out"

grep -q 'vif-bridge\[[0-9]*\] err backend/vif/5/0: bridge nosuchbr0 does not exist' \
    "$XEN_HOTPLUG_LOG"
ok $? "failures are logged to the hotplug log with script and path" \
    "$(tail -n 3 "$XEN_HOTPLUG_LOG")"
! grep -q "$(printf '\r')" "$XEN_HOTPLUG_LOG" && ! grep -q '^touch' "$XEN_HOTPLUG_LOG"
ok $? "the log has one line per message (newlines in values are shown as ?)"

# Fail closed: a script that cannot load its library reports an error
# (it used to exit 0 having done nothing), and `bash SCRIPT` from the
# scripts' own directory still finds it.
mkdir -p "$T/lonely"
for script in block vif-bridge vif-nat vif-route; do
    reset
    cp "$SCRIPTS/$script" "$T/lonely/"
    path=backend/vif/5/0
    [ "$script" = block ] && path=backend/vbd/5/51712
    out=$(XENBUS_PATH=$path "$T/lonely/$script" add 2>&1)
    rc=$?
    [ "$rc" = 1 ] && [ "$(xsget "$path/hotplug-status")" = error ] &&
        [[ $(xsget "$path/hotplug-error") == *"cannot load"* ]] &&
        ! grep -Eq '^(ip|losetup|iptables) ' "$FAKE_CALLS"
    ok $? "$script without xl-hotplug-common.sh: exit 1, hotplug-status error" \
        "rc=$rc $out"
done
reset
xs backend/vif/5/0/bridge nosuchbr0
out=$(cd "$SCRIPTS" && XENBUS_PATH=backend/vif/5/0 XENBUS_TYPE=vif \
    XENBUS_BASE_PATH=backend vif=vif5.0 bash vif-bridge online 2>&1)
rc=$?
[ "$rc" = 1 ] &&
    [[ $(xsget backend/vif/5/0/hotplug-error) == *"nosuchbr0 does not exist"* ]]
ok $? "bash vif-bridge from its directory loads its library" "rc=$rc $out"

echo "1..$n"
[ "$fails" = 0 ]
