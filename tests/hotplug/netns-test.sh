#!/bin/bash
# TAP: vif-bridge, vif-route and vif-nat really configure interfaces, run
# in a private network namespace on veth pairs standing in for netback's
# vifs (xenstore is the directory fake of tests/hotplug/fakebin). Skipped
# where network namespaces, veth or bridges are not available (not root,
# restricted containers); the lab runs the same scripts on real Xen.
set -uo pipefail
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
SRC=$(cd "$SRC" && pwd)

if [ "${1:-}" != --inside ]; then
    if [ "$(id -u)" != 0 ] || ! unshare -n -m true 2>/dev/null; then
        echo "1..0 # SKIP needs root and network namespaces"
        exit 0
    fi
    exec unshare -n -m "$0" --inside
fi

mount -t sysfs sysfs /sys 2>/dev/null
if ! ip link add xlt-probe type veth peer name xlt-probe2 2>/dev/null ||
    ! ip link add xlt-br type bridge 2>/dev/null; then
    echo "1..0 # SKIP no veth or bridge support here"
    exit 0
fi
ip link del xlt-probe
ip link del xlt-br

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export FAKE_XS=$T/xs FAKE_CALLS=$T/calls
export XEN_HOTPLUG_LOG=$T/log XEN_HOTPLUG_LOCKDIR=$T/lock
mkdir -p "$T/bin"
cp "$SRC"/tests/hotplug/fakebin/xenstore-* "$T/bin/"
export PATH=$T/bin:$PATH
: >"$FAKE_CALLS"

n=0
fails=0
check() { # check DESC CMD...
    local desc=$1
    shift
    n=$((n + 1))
    if "$@" >/dev/null 2>&1; then
        echo "ok $n - $desc"
    else
        fails=$((fails + 1))
        echo "not ok $n - $desc"
        tail -n 3 "$XEN_HOTPLUG_LOG" 2>/dev/null | sed 's/^/# /'
    fi
}
xs() { mkdir -p "$FAKE_XS/$(dirname "$1")" && printf '%s' "$2" >"$FAKE_XS/$1"; }
xsget() { cat "$FAKE_XS/$1" 2>/dev/null; }
vif() { ip link add "$1" type veth peer name "p$1"; } # a stand-in for netback
run() { # run SCRIPT DEVID ARGS...
    local s=$1 d=$2
    shift 2
    XENBUS_PATH=backend/vif/5/$d vif=vif5.$d "$SRC/hotplug/$s" "$@"
}

ip link add xenbr0 type bridge
ip link set xenbr0 mtu 1400 up
ip addr add 192.168.77.1/24 dev xenbr0

# vif-bridge: rename to vifname, MTU from the bridge, port of the bridge.
vif vif5.0
xs backend/vif/5/0/bridge xenbr0
xs backend/vif/5/0/vifname web0
check "vif-bridge online succeeds" run vif-bridge 0 online type_if=vif
check "the vif was renamed to its vifname" test -e /sys/class/net/web0
check "it is a port of the bridge" test -e /sys/class/net/xenbr0/brif/web0
check "it has the bridge's MTU" test "$(cat /sys/class/net/web0/mtu)" = 1400
check "the MTU is published for the frontend" test "$(xsget backend/vif/5/0/mtu)" = 1400
check "hotplug-status is connected" test "$(xsget backend/vif/5/0/hotplug-status)" = connected

vif vif5.1
xs backend/vif/5/1/bridge xenbr0
xs backend/vif/5/1/vifname web0
# shellcheck disable=SC2016 # expanded by the inner sh
check "a vifname that is taken is refused" sh -c '! "$0" "$@"' \
    env XENBUS_PATH=backend/vif/5/1 "$SRC/hotplug/vif-bridge" online
check "with a clear reason" grep -q "name is taken" "$FAKE_XS/backend/vif/5/1/hotplug-error"
check "and vif5.1 is left alone" test -e /sys/class/net/vif5.1

xs backend/vif/5/1/vifname ""
xs backend/vif/5/1/mtu 1300
check "an explicit mtu= wins over the bridge's" run vif-bridge 1 online
check "vif5.1 has MTU 1300" test "$(cat /sys/class/net/vif5.1/mtu)" = 1300

check "vif-bridge offline succeeds" run vif-bridge 0 offline
check "the vif left the bridge" test ! -e /sys/class/net/xenbr0/brif/web0

# vif-route: host routes through the vif, dom0's address on it.
vif vif5.2
xs backend/vif/5/2/ip "10.9.0.2 10.9.0.3"
check "vif-route online succeeds" env netdev=xenbr0 XENBUS_PATH=backend/vif/5/2 \
    "$SRC/hotplug/vif-route" online
check "a host route per guest address" \
    test "$(ip route show dev vif5.2 | grep -c 'src 192.168.77.1')" = 2
check "proxy ARP is on" test "$(cat /proc/sys/net/ipv4/conf/vif5.2/proxy_arp)" = 1
# shellcheck disable=SC2016 # expanded by the inner sh
check "vif-route offline removes the routes" sh -c \
    'netdev=xenbr0 XENBUS_PATH=backend/vif/5/2 "$0" offline && [ -z "$(ip route show dev vif5.2)" ]' \
    "$SRC/hotplug/vif-route"

# vif-nat: router address = guest's last byte + 127.
vif vif5.3
xs backend/vif/5/3/ip 10.9.0.2
check "vif-nat online succeeds" env netdev=xenbr0 XENBUS_PATH=backend/vif/5/3 \
    "$SRC/hotplug/vif-nat" online
check "the vif carries the router address" sh -c 'ip -4 addr show dev vif5.3 | grep -q "10.9.0.129/32"'
check "the guest is routed through it" sh -c 'ip route show dev vif5.3 | grep -q "^10.9.0.2 .*src 10.9.0.129"'

echo "1..$n"
[ "$fails" = 0 ]
