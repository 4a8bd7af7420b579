# shellcheck shell=bash
# lib.sh: TAP and Xen helpers for lab scenarios, sourced inside dom0 as
#   . "$(dirname "$0")/lib.sh"
#
# A scenario prints TAP on stdout (only TAP: send chatter to stderr or use
# diag) and its exit status is checked by the host. Run by
# tests/lab/dom0/runner.sh with XLAB_OUT (artifacts, copied back to the host)
# and XLAB_WORK (scratch, the current directory); both default to a temp dir
# so a scenario can also be run by hand in `lab.sh shell`.

XL=/usr/local/sbin/xl # ours, from the fresh build
DEBXL=/usr/sbin/xl    # Debian's, the oracle
GUEST_DIR=/var/lib/xl-lab
GUEST_KERNEL=$GUEST_DIR/vmlinuz
GUEST_INITRD=$GUEST_DIR/guest-initrd.gz
GUEST_DISK=$GUEST_DIR/dom01-disk.img
GUEST_PYGRUB_DISK=$GUEST_DIR/dom01-pygrub.img
GUEST_BANNER=DOM01-BANNER
CONSOLE_DIR=/var/log/xen/console
BRIDGE=xenbr0
XLAB_WORK=${XLAB_WORK:-$(mktemp -d /tmp/xlab.XXXXXX)}
# How much slower than an idle host this lab runs (1 = normal; the runner
# derives it from the dom0 boot time). Waits in here are multiplied by it;
# use $(secs N) for a timeout of your own.
XLAB_SCALE=${XLAB_SCALE:-1}
XLAB_OUT=${XLAB_OUT:-$XLAB_WORK/out}
mkdir -p "$XLAB_OUT" "$XLAB_WORK"
export XL DEBXL GUEST_KERNEL GUEST_INITRD GUEST_DISK GUEST_PYGRUB_DISK GUEST_BANNER \
    BRIDGE CONSOLE_DIR XLAB_OUT XLAB_WORK XLAB_SCALE

# ------------------------------------------------------------------ TAP

_TAP_N=0
_TAP_FAILED=0
_TAP_PLANNED=""

plan() { # plan N
    _TAP_PLANNED=$1
    echo "1..$1"
}

skip_all() { # skip_all REASON: the whole scenario does not apply
    echo "1..0 # SKIP $*"
    exit 0
}

diag() { # diag MSG...: a TAP comment, one per line of MSG
    printf '%s\n' "$*" | sed 's/^/# /'
}

diag_file() { # diag_file FILE [LINES]: the tail of FILE as TAP comments
    [ -f "$1" ] && tail -n "${2:-20}" "$1" | sed 's/^/#   /'
    return 0
}

pass() {
    _TAP_N=$((_TAP_N + 1))
    echo "ok $_TAP_N - $*"
}

fail() {
    _TAP_N=$((_TAP_N + 1))
    _TAP_FAILED=$((_TAP_FAILED + 1))
    echo "not ok $_TAP_N - $*"
}

skip() { # skip DESC REASON
    _TAP_N=$((_TAP_N + 1))
    echo "ok $_TAP_N - $1 # SKIP $2"
}

ok() { # ok DESC CMD...: passes if CMD exits 0 (its output is shown on failure)
    local desc=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    if [ $rc = 0 ]; then
        pass "$desc"
    else
        fail "$desc"
        diag "command failed (exit $rc): $*"
        [ -z "$out" ] || printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
    fi
    return $rc
}

is() { # is GOT EXPECTED DESC
    if [ "$1" = "$2" ]; then
        pass "$3"
    else
        fail "$3"
        diag "     got: '$1'"
        diag "expected: '$2'"
        return 1
    fi
}

isnt() { # isnt GOT UNEXPECTED DESC
    if [ "$1" != "$2" ]; then
        pass "$3"
    else
        fail "$3"
        diag "got '$1', which it should not be"
        return 1
    fi
}

like() { # like GOT ERE DESC
    if printf '%s\n' "$1" | grep -qE -- "$2"; then
        pass "$3"
    else
        fail "$3"
        diag "     got: '$(printf '%s' "$1" | head -c 600)'"
        diag "expected to match: /$2/"
        return 1
    fi
}

unlike() { # unlike GOT ERE DESC
    if ! printf '%s\n' "$1" | grep -qE -- "$2"; then
        pass "$3"
    else
        fail "$3"
        diag "     got: '$(printf '%s' "$1" | head -c 600)'"
        diag "expected not to match: /$2/"
        return 1
    fi
}

done_testing() { # ends the scenario: plan if none was given, exit status
    [ -n "$_TAP_PLANNED" ] || echo "1..$_TAP_N"
    [ "$_TAP_FAILED" -le 100 ] || _TAP_FAILED=100
    exit "$_TAP_FAILED"
}

# ------------------------------------------------------------------ waiting

secs() { echo $(($1 * XLAB_SCALE)); } # secs N: N seconds, scaled

wait_for() { # wait_for SECS CMD...: retries CMD every 0.2 s until it succeeds
    local end=$((SECONDS + $1 * XLAB_SCALE))
    shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.2
    done
}

console_log() { echo "$CONSOLE_DIR/guest-$1.log"; }

console_size() { # console_size NAME: bytes logged so far (for wait_console FROM)
    stat -c %s "$(console_log "$1")" 2>/dev/null || echo 0
}

# wait_console NAME MARKER SECS [FROM]: waits until the guest's console
# (as logged by xenconsoled) shows MARKER, a fixed string, after byte FROM.
wait_console() {
    local log end=$((SECONDS + $3 * XLAB_SCALE)) from=${4:-0}
    log=$(console_log "$1")
    while :; do
        if [ -f "$log" ] && tail -c +"$((from + 1))" "$log" | grep -aqF -- "$2"; then
            return 0
        fi
        [ $SECONDS -lt $end ] || return 1
        sleep 0.2
    done
}

domain_exists() { $DEBXL domid "$1" >/dev/null 2>&1; }

wait_gone() { # wait_gone NAME SECS: until the domain no longer exists
    local end=$((SECONDS + $2 * XLAB_SCALE))
    while domain_exists "$1"; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.2
    done
}

# ------------------------------------------------------------------ guests

# guest_disk NAME: a private copy of the lab's ext4 guest disk; prints its path.
guest_disk() {
    local d=$XLAB_WORK/$1-disk.img
    cp --sparse=always "$GUEST_DISK" "$d" && echo "$d"
}

# guest_cfg NAME TYPE [LINE...]: writes $XLAB_WORK/NAME.cfg for the lab
# guest (TYPE pv, pvh, hvm or pygrub) and prints its path. Each LINE is
# appended verbatim (`key = value`), so it overrides the defaults: the last
# assignment wins. No disk or vif unless given.
guest_cfg() {
    local name=$1 type=$2 cfg=$XLAB_WORK/$1.cfg
    shift 2
    {
        echo "# lab guest $name ($type), written by lib.sh guest_cfg"
        echo "name = \"$name\""
        case $type in
        pv | pvh)
            echo "type = \"$type\""
            echo "kernel = \"$GUEST_KERNEL\""
            echo "ramdisk = \"$GUEST_INITRD\""
            echo 'extra = "console=hvc0 loglevel=4"'
            ;;
        hvm)
            echo 'type = "hvm"'
            echo "kernel = \"$GUEST_KERNEL\""
            echo "ramdisk = \"$GUEST_INITRD\""
            echo 'cmdline = "console=ttyS0 console=hvc0 loglevel=4"'
            echo 'serial = "pty"'
            echo 'vnc = 0'
            echo 'sdl = 0'
            echo 'nographic = 1'
            ;;
        pygrub)
            echo 'type = "pv"'
            echo 'bootloader = "pygrub"'
            ;;
        *)
            echo "lib.sh: guest_cfg: unknown type '$type'" >&2
            return 1
            ;;
        esac
        [ "$type" = hvm ] && echo 'memory = 256' || echo 'memory = 128'
        echo 'vcpus = 1'
        echo 'on_poweroff = "destroy"'
        echo 'on_reboot = "restart"'
        echo 'on_crash = "destroy"'
        local l
        for l in "$@"; do echo "$l"; done
    } >"$cfg" && echo "$cfg"
}

# ------------------------------------------------------------------ commands

# run_tty [-t SECS] OUT CMD...: runs CMD on a pseudo-terminal (script(1)),
# for commands that need a tty such as `xl create -c`; everything it prints
# goes to OUT. Its stdin is a fifo that never reaches EOF (EOF would count
# as a key press, e.g. in pygrub's menu). Returns CMD's exit status, 124
# on timeout.
run_tty() {
    local tmo=120 out fifo cmd="" a
    if [ "$1" = -t ]; then
        tmo=$2
        shift 2
    fi
    out=$1
    shift
    for a in "$@"; do cmd="$cmd $(printf '%q' "$a")"; done
    fifo=$(mktemp -u "$XLAB_WORK/tty-in.XXXXXX")
    mkfifo "$fifo" || return 1
    timeout -k 5 "$((tmo * XLAB_SCALE))" script -qfec "$cmd" "$out" <>"$fifo" >/dev/null 2>&1
    a=$?
    rm -f "$fifo"
    return $a
}

has_command() { # has_command XLBIN CMD: XLBIN lists CMD in its `help`
    "$1" help 2>&1 | awk '{print $1}' | grep -qxF -- "$2"
}

have_ours() { [ -x "$XL" ]; }

norm_times() { # normaliser: blanks numbers with a fraction (Time(s) columns)
    # with the spaces that right-align them: 9.8 and 10.2 differ in width
    sed -E 's/ *[0-9]+\.[0-9]+/ T/g'
}

norm_live() { # normaliser: norm_times, and a live guest's running/blocked
    # state letters, which change between the two xls' runs
    norm_times | sed -E 's/([[:space:]])[r-][b-]([p-][s-][c-][d-][[:space:]])/\1..\2/g'
}

# xl_diff [-n NORMALISER] [-m DESC] ARGS...: runs `$XL ARGS` and `$DEBXL
# ARGS` and passes if exit status and (normalised) stdout are the same.
# NORMALISER is a command filtering stdin (e.g. norm_times). Outputs are
# kept in $XLAB_OUT/diff/. Returns 0 on equality.
xl_diff() {
    local norm=cat desc="" slug d rc_ours rc_deb
    while [ $# -gt 0 ]; do
        case $1 in
        -n) norm=$2; shift 2 ;;
        -m) desc=$2; shift 2 ;;
        --) shift; break ;;
        *) break ;;
        esac
    done
    [ -n "$desc" ] || desc="xl $* matches Debian's xl"
    slug=$(printf '%s' "$*" | tr -c 'A-Za-z0-9_.-' _ | cut -c1-60)
    d=$XLAB_OUT/diff
    mkdir -p "$d"
    "$XL" "$@" >"$d/$slug.ours.raw" 2>"$d/$slug.ours.err"
    rc_ours=$?
    "$DEBXL" "$@" >"$d/$slug.debian.raw" 2>"$d/$slug.debian.err"
    rc_deb=$?
    $norm <"$d/$slug.ours.raw" >"$d/$slug.ours"
    $norm <"$d/$slug.debian.raw" >"$d/$slug.debian"
    if [ $rc_ours = $rc_deb ] && cmp -s "$d/$slug.ours" "$d/$slug.debian"; then
        pass "$desc"
        return 0
    fi
    fail "$desc"
    diag "exit status: ours $rc_ours, Debian's $rc_deb"
    diff -u "$d/$slug.debian" "$d/$slug.ours" | head -n 40 | sed 's/^/#   /'
    [ -s "$d/$slug.ours.err" ] && diag "our stderr:" && diag_file "$d/$slug.ours.err" 10
    return 1
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

time_list() { # time_list XL: ms for `XL list -l`, the median of 3 runs
    local t0 t=""
    for _ in 1 2 3; do
        t0=$(now_ms)
        "$1" list -l >/dev/null 2>&1
        t="$t $(($(now_ms) - t0))"
    done
    echo "$t" | tr ' ' '\n' | grep . | sort -n | sed -n 2p
}

xenstore_dump() { # xenstore_dump [FILE]: the whole store (default: into XLAB_OUT)
    xenstore-ls -fp >"${1:-$XLAB_OUT/xenstore-$(date +%s).txt}" 2>&1
}

xs_read() { xenstore-read "$1" 2>/dev/null; }

# leftovers: what a destroyed guest may leave behind, one line per kind
# (backend entries in xenstore, loop devices, vif interfaces); empty = clean.
leftovers() {
    local n
    n=$(xenstore-ls /local/domain/0/backend 2>/dev/null | grep -c .)
    [ "$n" = 0 ] || echo "xenstore backend entries: $n"
    n=$(losetup -a 2>/dev/null | grep -c .)
    [ "$n" = 0 ] || echo "loop devices: $(losetup -a | tr '\n' ' ')"
    n=$(ip -br link 2>/dev/null | grep -cE '^vif')
    [ "$n" = 0 ] || echo "vif interfaces: $(ip -br link | grep -E '^vif' | awk '{print $1}' | tr '\n' ' ')"
}

# wait_clean SECS: waits until leftovers is empty; prints what is left if not.
wait_clean() {
    local end=$((SECONDS + $1 * XLAB_SCALE)) left
    while left=$(leftovers) && [ -n "$left" ]; do
        if [ $SECONDS -ge $end ]; then
            printf '%s\n' "$left"
            return 1
        fi
        sleep 0.2
    done
}

cleanup_domains() { # destroys every domain but dom0 (Debian's xl)
    local d
    for d in $($DEBXL list 2>/dev/null | awk 'NR > 1 && $2 != 0 {print $2}'); do
        timeout "$(secs 60)" $DEBXL destroy "$d" >/dev/null 2>&1
    done
    wait_for 30 sh -c "[ \$($DEBXL list 2>/dev/null | wc -l) -le 2 ]"
}
