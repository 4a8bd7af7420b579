# shellcheck shell=bash
# xl-hotplug-common.sh: what every hotplug script of xl-toolstack shares:
# logging, locking, xenstore status, and validation of values as data.
#
# Sourced (never run) by block, vif-bridge, vif-route and vif-nat, which
# libxl runs with XENBUS_PATH=backend/<vbd|vif>/<domid>/<devid> (relative
# to /local/domain/0) in the environment.
#
# Environment (read):
#   XENBUS_PATH          the device's backend directory (required)
#   XEN_HOTPLUG_LOG      log file (default /var/log/xen/xen-hotplug.log)
#   XEN_HOTPLUG_LOCKDIR  lock directory (default /var/run/xen-hotplug)
# Store keys written: $XENBUS_PATH/hotplug-status (connected, error,
# busy) and $XENBUS_PATH/hotplug-error (the reason, one line).
#
# Rule for every value read from the store or the environment: it is data.
# It is checked against a strict pattern before use, always quoted, never
# evaluated, and shown in messages with control characters replaced.

# Appended, not prepended: whoever runs xl chose PATH; sbin may be missing.
export PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C LC_ALL=C

SCRIPT=${0##*/}
HOTPLUG_LOG=${XEN_HOTPLUG_LOG:-/var/log/xen/xen-hotplug.log}
HOTPLUG_LOCKDIR=${XEN_HOTPLUG_LOCKDIR:-/var/run/xen-hotplug}

# Our stderr goes to the log: libxl reports the reason from hotplug-error,
# not from whatever the tools we run print.
# Scripts run under libxl's 40 s timeout, possibly many at once on a busy
# dom0: the common paths below avoid forking where bash can do the work.
if { [ -d "${HOTPLUG_LOG%/*}" ] || mkdir -p "${HOTPLUG_LOG%/*}" 2>/dev/null; } &&
    : 2>>"$HOTPLUG_LOG"; then
    exec 2>>"$HOTPLUG_LOG"
fi

# shown VALUE: VALUE made safe to print on one line.
shown() {
    printf '%s' "${1//[^[:print:]]/?}"
}

# log LEVEL MESSAGE...: one line in the hotplug log (stderr); no fork.
log() {
    local level=$1 msg ts path=${XENBUS_PATH:-?}
    shift
    msg="$*"
    printf -v ts '%(%F %T)T' -1
    printf '%s %s[%d] %s %s: %s\n' "$ts" "$SCRIPT" "$$" "$level" \
        "${path//[^[:print:]]/?}" "${msg//[^[:print:]]/?}" >&2
}

# The backend path must look like one, or nothing below is safe to do.
if ! [[ ${XENBUS_PATH:-} =~ ^backend/(vbd|vif|qdisk)/[0-9]+/[0-9]+$ ]]; then
    log err "refusing to run: XENBUS_PATH is not backend/<type>/<domid>/<devid>"
    echo "$SCRIPT: XENBUS_PATH is not backend/<type>/<domid>/<devid>" >&2
    exit 1
fi

# xs_read KEY: the value of $XENBUS_PATH/KEY; fatal if missing.
xs_read() {
    local v
    v=$(xenstore-read "$XENBUS_PATH/$1" 2>/dev/null) ||
        fatal "cannot read $1 from $XENBUS_PATH"
    printf '%s\n' "$v"
}

# xs_read_opt KEY [DEFAULT]: the value of $XENBUS_PATH/KEY, or DEFAULT.
xs_read_opt() {
    xenstore-read "$XENBUS_PATH/$1" 2>/dev/null || printf '%s\n' "${2:-}"
}

# xs_write KEY VALUE: write $XENBUS_PATH/KEY; fatal on failure.
xs_write() {
    log debug "write $1=$2"
    xenstore-write "$XENBUS_PATH/$1" "$2" ||
        fatal "cannot write $1 to $XENBUS_PATH"
}

# status_fail STATUS MESSAGE: record the failure for libxl and exit 1.
status_fail() {
    local status=$1
    shift
    release_lock
    log err "$*"
    # hotplug-error first: libxl reads it once it sees the status.
    xenstore-write "$XENBUS_PATH/hotplug-error" "$(shown "$*")" \
        "$XENBUS_PATH/hotplug-status" "$status" 2>/dev/null ||
        log err "cannot write hotplug-status to $XENBUS_PATH"
    exit 1
}

# fatal MESSAGE: hotplug-status=error with MESSAGE as hotplug-error.
fatal() {
    status_fail error "$@"
}

# busy MESSAGE: the device is in use; hotplug-status=busy.
busy() {
    status_fail busy "$@"
}

# success: the backend is ready; libxl waits for this.
success() {
    xs_write hotplug-status connected
    log info "connected"
}

# Locks serialise scripts that inspect then change shared state (loop
# devices, the sharing check, a bridge). One lock held at a time.
HOTPLUG_LOCK_FD=

# claim_lock NAME: flock $HOTPLUG_LOCKDIR/NAME (waits up to 30 s, under
# libxl's 40 s script timeout).
claim_lock() {
    [[ $1 =~ ^[a-z][a-z0-9-]*$ ]] || fatal "bad lock name"
    mkdir -p "$HOTPLUG_LOCKDIR" || fatal "cannot create $HOTPLUG_LOCKDIR"
    exec {HOTPLUG_LOCK_FD}>>"$HOTPLUG_LOCKDIR/$1" ||
        fatal "cannot open lock $HOTPLUG_LOCKDIR/$1"
    if ! flock -w 30 "$HOTPLUG_LOCK_FD"; then
        exec {HOTPLUG_LOCK_FD}>&-
        HOTPLUG_LOCK_FD=
        fatal "timed out waiting for lock $1"
    fi
}

# release_lock: drop the lock, if any (safe to call twice).
release_lock() {
    if [ -n "$HOTPLUG_LOCK_FD" ]; then
        exec {HOTPLUG_LOCK_FD}>&-
        HOTPLUG_LOCK_FD=
    fi
}

# --- validation: each returns 0 if the value is acceptable ---

# A network interface name: what Linux accepts, minus anything a shell or
# ip(8) could read as more than a name.
valid_ifname() {
    [[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$ ]]
}

# An absolute path made of ordinary characters (no spaces, quotes, $, `,
# ;, |, &, <, >, \, *, ?, newlines).
valid_path() {
    [[ $1 =~ ^/[A-Za-z0-9._+@:,=~/-]*$ ]] && [[ $1 != *//* ]]
}

# An IPv4 address, dotted quad, each part 0-255, optionally /0-32.
valid_ipv4() {
    local addr=${1%/*} len part
    local -a parts
    if [[ $1 == */* ]]; then
        len=${1#*/}
        [[ $len =~ ^[0-9]{1,2}$ ]] && ((10#$len <= 32)) || return 1
    fi
    [[ $addr =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
    IFS=. read -r -a parts <<<"$addr"
    for part in "${parts[@]}"; do
        ((10#$part <= 255)) || return 1
    done
}

# An MTU ip(8) and the bridge code accept.
valid_mtu() {
    [[ $1 =~ ^[0-9]{2,5}$ ]] && ((10#$1 >= 68 && 10#$1 <= 65535))
}

# --- vif scripts ---

# vif_init ARGS...: parse `online|offline|add|remove [type_if=vif|tap]`
# and set command (online|offline), type_if, domid, devid and dev, the
# interface to configure: vifD.N (netback) or its -emu tap (qemu), under
# its vifname when the config gives one. Reads $XENBUS_PATH/vifname.
vif_init() {
    local arg vifname
    command=${1:-}
    type_if=vif
    for arg in "${@:2}"; do
        case $arg in
        type_if=vif | type_if=tap) type_if=${arg#type_if=} ;;
        *) fatal "unknown argument '$(shown "$arg")'" ;;
        esac
    done
    case $command in
    online | add) command=online ;;
    offline | remove) command=offline ;;
    *) fatal "unknown action '$(shown "$command")' (want online or offline)" ;;
    esac
    [[ $XENBUS_PATH =~ ^backend/vif/([0-9]+)/([0-9]+)$ ]] ||
        fatal "not a vif backend path"
    domid=${BASH_REMATCH[1]}
    devid=${BASH_REMATCH[2]}
    dev=vif$domid.$devid
    [ "$type_if" = tap ] && dev=$dev-emu

    vifname=$(xs_read_opt vifname)
    [ -n "$vifname" ] || return 0
    valid_ifname "$vifname" ||
        fatal "refusing vifname '$(shown "$vifname")': want 1-15 of A-Z a-z 0-9 _ . -"
    if [ "$type_if" = tap ]; then
        # qemu already named the tap after the vifname.
        dev=$vifname-emu
        valid_ifname "$dev" || fatal "vifname '$vifname' is too long for its -emu tap"
        return 0
    fi
    if [ "$command" = online ] && [ -e "/sys/class/net/$dev" ]; then
        if [ -e "/sys/class/net/$vifname" ]; then
            fatal "cannot rename $dev to vifname '$vifname': the name is taken by another interface"
        fi
        ip link set dev "$dev" name "$vifname" ||
            fatal "cannot rename $dev to vifname '$vifname'"
        log info "renamed $dev to $vifname"
    fi
    dev=$vifname
}

# vif_need_dev: fatal unless $dev exists (online only).
vif_need_dev() {
    [ -e "/sys/class/net/$dev" ] || fatal "interface $dev does not exist"
}

# vif_ips: the guest's addresses from $XENBUS_PATH/ip (space separated),
# one per line, each checked; fatal on anything that is not IPv4. Run it
# as `ips=$(vif_ips) || exit 1`: fatal only leaves the subshell.
vif_ips() {
    local ips a
    local -a list
    ips=$(xs_read_opt ip)
    # Checked before splitting, so nothing can glob or hide in separators.
    [[ $ips =~ ^[0-9./\ ]*$ ]] ||
        fatal "refusing ip '$(shown "$ips")': want IPv4 addresses (a.b.c.d[/len]) separated by spaces"
    read -r -a list <<<"$ips"
    for a in "${list[@]}"; do
        valid_ipv4 "$a" ||
            fatal "refusing ip '$(shown "$a")': not an IPv4 address (a.b.c.d[/len])"
        printf '%s\n' "$a"
    done
}

# vif_gateway_dev: the dom0 interface routed/NATed traffic leaves by:
# $netdev (gatewaydev= in the config), else that of the default route.
# Run it as `gw=$(vif_gateway_dev) || exit 1`.
vif_gateway_dev() {
    local g=${netdev:-}
    if [ -z "$g" ]; then
        g=$(ip -4 route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1)
    fi
    [ -n "$g" ] || fatal "no gateway device: set gatewaydev= in the vif spec or add a default route"
    valid_ifname "$g" || fatal "refusing gatewaydev '$(shown "$g")': not an interface name"
    [ -e "/sys/class/net/$g" ] || fatal "gateway device $g does not exist"
    printf '%s\n' "$g"
}

# ipv4_of DEV: the first IPv4 address of DEV (no prefix length).
ipv4_of() {
    ip -4 -o addr show dev "$1" 2>/dev/null | sed -n 's/.* inet \([0-9.]*\).*/\1/p' | head -n 1
}

log debug "$SCRIPT $* (XENBUS_PATH=$XENBUS_PATH)"
