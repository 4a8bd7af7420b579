#!/bin/bash
# The xl-toolstack lab: boots Debian's Xen 4.17 + a Debian 12 dom0 in QEMU and runs scenarios in dom0.
#
# usage: tests/lab/lab.sh prepare
#        tests/lab/lab.sh run [SCENARIO...]   (default: every tests/lab/scenarios/NN-*.sh)
#        tests/lab/lab.sh shell               (interactive dom0, our xl on PATH)
#        tests/lab/lab.sh demo [--shell]      (our `xl create -c /etc/xen/dom01.cfg`, live)
#
# `run` prints one TAP stream on stdout (`ok N - scenario: test`) ending in
# `lab: N passed, N failed`, progress lines on stderr, and exits 1 if
# anything failed, including a lab that did not boot.
# Environment (all optional):
#   XDG_CACHE_HOME       cache root (image cache: $XDG_CACHE_HOME/xl-toolstack-lab)
#   XL_LAB_WORK          where run directories go (default /tmp/xl-lab-$USER)
#   XL_LAB_KEEP=1        keep the run directory (default: kept on failure only)
#   XL_LAB_TIMEOUT       whole-run timeout in seconds (default: derived)
#   XL_LAB_BOOT_TIMEOUT  seconds from QEMU start until dom0 must be ready
#                        (default 300, more on a loaded host, at most 1200)
#   XL_LAB_SCENARIO_TIMEOUT  default per-scenario timeout (default 300;
#                        a scenario may say `# lab-timeout: SECS`; one
#                        saying `# lab-ci: skip REASON` is reported as
#                        skipped, with REASON, unless named explicitly)
#   XL_LAB_ACCEL=tcg|kvm force the accelerator (default: tcg unless the KVM
#                        probe proves KVM can run Xen)
#   XL_LAB_NO_BUILD=1    do not build the project (dom0 gets no /usr/local)
#   XL_LAB_MAX_QEMU      labs allowed to run QEMU at once on this host
#                        (default: host CPUs / 2, at least 1)
#   XL_LAB_XEN_EXTRA     more Xen command line arguments (e.g. dom0_vcpus_pin)
#   XL_LAB_MEM_MB        memory of the emulated host (default 4096; dom0
#                        has 1024 of it, guests the rest)
#   XL_LAB_MIRROR        Debian mirror (default: the host's apt configuration)
#   XL_LAB_IMAGE=DIR     use this prepared image directory, skip the cache key
set -uo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$LAB/../.." && pwd)
CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}/xl-toolstack-lab
WORK_ROOT=${XL_LAB_WORK:-/tmp/xl-lab-${USER:-$(id -un)}}
# A busy host slows TCG down a lot: the default boot timeout grows with
# the load per CPU (300 s on an idle host, at most 1200 s).
boot_timeout_default() {
    local load ncpu
    load=$(cut -d. -f1 /proc/loadavg)
    ncpu=$(nproc)
    load=$((load / ncpu - 1))
    [ $load -gt 0 ] || load=0
    load=$((300 + 75 * load))
    [ $load -le 1200 ] || load=1200
    echo $load
}
BOOT_TIMEOUT=${XL_LAB_BOOT_TIMEOUT:-$(boot_timeout_default)}
SCENARIO_TIMEOUT=${XL_LAB_SCENARIO_TIMEOUT:-300}
T_START=$SECONDS

say() { echo "lab: [$((SECONDS - T_START))s] $*" >&2; }
die() {
    echo "lab: error: $*" >&2
    exit 2
}

# ---------------------------------------------------------------- prepare

# The cache key: versions of the packages that end up in the image (as the
# host's apt sees them) plus every file that shapes the image.
cache_key() {
    local pkgs="xen-hypervisor-4.17-amd64 xen-utils-4.17 linux-image-amd64 qemu-system-xen seabios busybox-static"
    {
        # shellcheck disable=SC2086 # a list of package names
        apt-cache show --no-all-versions $pkgs 2>/dev/null |
            awk '/^Package:/ {p = $2} /^Version:/ {print p, $2}'
        (cd "$LAB/image" && sha256sum -- *)
    } | sha256sum | cut -c1-16
}

# Sets IMG_DIR to the cached image directory, building it first if needed.
prepare() {
    local key tmp rc
    if [ -n "${XL_LAB_IMAGE:-}" ]; then
        IMG_DIR=$XL_LAB_IMAGE
        [ -f "$IMG_DIR/rootfs.img" ] || die "XL_LAB_IMAGE=$IMG_DIR has no rootfs.img"
        return 0
    fi
    key=$(cache_key)
    IMG_DIR=$CACHE_ROOT/$key
    [ -f "$IMG_DIR/rootfs.img" ] && return 0
    mkdir -p "$CACHE_ROOT" || die "cannot create $CACHE_ROOT"
    # One builder per key at a time; a waiting run finds the image ready.
    exec {lockfd}>"$CACHE_ROOT/.lock-$key"
    if ! flock -n "$lockfd"; then
        say "prepare: another lab is building the image, waiting"
        flock "$lockfd"
    fi
    if [ ! -f "$IMG_DIR/rootfs.img" ]; then
        say "prepare: building the lab image (key $key, first time only, ~4 min)"
        tmp=$CACHE_ROOT/.tmp-$key-$$
        rm -rf "$tmp"
        XL_LAB_MIRROR=${XL_LAB_MIRROR:-} "$LAB/image/prepare.sh" "$tmp"
        rc=$?
        if [ $rc != 0 ]; then
            rm -rf "$tmp"
            exec {lockfd}>&-
            die "prepare failed (rc=$rc)"
        fi
        mv -T "$tmp" "$IMG_DIR" || die "cannot move the image into $IMG_DIR"
        say "prepare: image ready in $IMG_DIR"
    fi
    exec {lockfd}>&-
    return 0
}

# ---------------------------------------------------------------- build

build_once() { # build_once BUILDDIR: make and install into the run's share
    rm -rf "$SHARE/stage"
    make -C "$1" -j2 && make -C "$1" install DESTDIR="$SHARE/stage"
}

# Builds the project for dom0 (non-sanitized, --prefix=/usr/local) in a
# build directory shared by the runs of this source tree, and installs it
# into the run's share. Sets BUILD_FAILED on failure.
build_project() {
    local bdir log bfd
    BUILD_FAILED=""
    if [ -n "${XL_LAB_NO_BUILD:-}" ]; then
        say "build: skipped (XL_LAB_NO_BUILD)"
        return 0
    fi
    bdir=$WORK_ROOT/build-$(printf %s "$SRC" | sha256sum | cut -c1-12)
    log=$RUN/build.log
    mkdir -p "$bdir"
    say "build: project for dom0 in $bdir (log: $log)"
    exec {bfd}>"$bdir.lock"
    if ! flock -n "$bfd"; then
        say "build: waiting for another lab run's build of this tree"
        flock "$bfd"
    fi
    {
        if [ ! -x "$SRC/configure" ]; then
            (cd "$SRC" && autoreconf -fi) || return 1
        fi
        if [ ! -f "$bdir/Makefile" ]; then
            (cd "$bdir" && "$SRC/configure" --prefix=/usr/local) || return 1
        fi
        # Others may be regenerating the autotools files in the shared
        # tree at this very moment: one retry after a pause.
        build_once "$bdir" || { sleep 20 && build_once "$bdir"; }
    } >"$log" 2>&1
    local rc=$?
    exec {bfd}>&-
    if [ $rc != 0 ]; then
        BUILD_FAILED="build of the project failed (tail of $log below)"
        tail -n 15 "$log" | sed 's/^/lab: build: /' >&2
        rm -rf "$SHARE/stage"
    fi
    return 0
}

# ---------------------------------------------------------------- boot

# The accelerator: TCG unless KVM proved (once per host kernel, cached)
# that it boots Xen's dom0. /dev/kvm on PVM-style hosts opens but fails.
choose_accel() {
    local probe
    ACCEL=${XL_LAB_ACCEL:-}
    if [ -z "$ACCEL" ]; then
        ACCEL=tcg
        if [ -w /dev/kvm ] && grep -qw -e vmx -e svm /proc/cpuinfo; then
            probe=$CACHE_ROOT/kvm-probe-$(uname -r)
            if [ ! -f "$probe" ]; then
                say "kvm: probing whether KVM can run Xen (once)"
                if (XL_LAB_ACCEL=kvm XL_LAB_BOOT_TIMEOUT=150 XL_LAB_NO_BUILD=1 \
                    "$LAB/lab.sh" probe >/dev/null 2>&1); then
                    echo kvm >"$probe"
                else
                    echo tcg >"$probe"
                fi
            fi
            ACCEL=$(cat "$probe")
        fi
    fi
    if [ "$ACCEL" = kvm ]; then CPU=host; else CPU=qemu64,+svm,+npt; fi
}

# Creates the run directory and its 9p share.
new_run() {
    RUN=$WORK_ROOT/run-$(date +%Y%m%d-%H%M%S)-$$
    SHARE=$RUN/share
    mkdir -p "$SHARE/out" "$SHARE/lab" || die "cannot create $RUN"
    cp -a "$LAB/dom0" "$LAB/scenarios" "$SHARE/lab/"
    mkdir -p "$SHARE/configs"
    cp -a "$SRC"/configs/. "$SHARE/configs/" 2>/dev/null
    # the config corpus, for differential scenarios (20: create -n)
    cp -a "$SRC/tests/cfg" "$SHARE/cfg"
    # the block-/network-attach case table (35: attach-parse)
    cp -a "$SRC/tests/xl/attach-parse.cases" "$SHARE/"
    echo "$1" >"$SHARE/mode"
    : >"$SHARE/plan"
    say "run directory: $RUN"
}

QPID="" FOLLOW_PID=""
stop_qemu() {
    if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
        kill -TERM "$QPID" 2>/dev/null
        for _ in 1 2 3 4 5; do
            kill -0 "$QPID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$QPID" 2>/dev/null
    fi
    if [ -n "$FOLLOW_PID" ]; then kill "$FOLLOW_PID" 2>/dev/null; fi
}
trap stop_qemu EXIT
trap 'stop_qemu; [ -z "${RUN:-}" ] || rm -f "$RUN/overlay.qcow2"; exit 130' INT TERM

qemu_cmd() { # qemu_cmd SERIAL-CHARDEV-ARGS: fills QEMU array
    local xen_args dom0_args
    xen_args="dom0_mem=1024M,max:1024M dom0_max_vcpus=2 console=com1 com1=115200,8n1 conring_size=1m loglvl=all guest_loglvl=all ${XL_LAB_XEN_EXTRA:-}"
    # -initrd is a comma separated module list: a ',' in ARGS is ',,'
    dom0_args="root=/dev/vda rw console=hvc0 earlyprintk=xen loglevel=4 init=/sbin/xlab-init"
    qemu-img create -q -f qcow2 -F raw -b "$IMG_DIR/rootfs.img" "$RUN/overlay.qcow2" ||
        die "qemu-img create failed"
    QEMU=(qemu-system-x86_64 -accel "$ACCEL" -cpu "$CPU" -m "${XL_LAB_MEM_MB:-4096}" -smp 2 -machine q35
        -display none -monitor none -no-reboot -nic none
        -chardev "$1" -serial chardev:ser0
        -kernel "$IMG_DIR/xen.elf" -append "$xen_args"
        -initrd "$IMG_DIR/vmlinuz $dom0_args,$IMG_DIR/initrd.img"
        -drive "file=$RUN/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe"
        -virtfs "local,path=$SHARE,mount_tag=hostshare,security_model=none,id=hostshare")
    printf '%q ' "${QEMU[@]}" >"$RUN/qemu.cmd"
}

# Console lines get "[ seconds since QEMU start]" so timings can be read later.
stamp() {
    local start=${EPOCHREALTIME/./} d line
    while IFS= read -r line; do
        d=$((${EPOCHREALTIME/./} - start))
        printf '[%4d.%02d] %s\n' $((d / 1000000)) $(((d % 1000000) / 10000)) "${line%$'\r'}"
    done
}

# Follows the console: one progress line per phase on stderr; in demo
# mode the console between the demo markers goes live to stdout.
follow() { # follow MODE BASE-SECONDS
    local base=$2 live=0 line secs
    p() { echo "lab: [$((base + secs))s] $*" >&2; }
    tail -n +1 -s 0.2 -F --pid="$QPID" "$RUN/console.log" 2>/dev/null |
        while IFS= read -r line; do
            secs=0
            if [[ $line =~ ^\[\ *([0-9]+)\.[0-9]+\]\ (.*)$ ]]; then
                secs=${BASH_REMATCH[1]}
                line=${BASH_REMATCH[2]}
            fi
            if [ $live = 1 ]; then
                case $line in
                XLAB-DEMO-END*) live=0 ;;
                *) printf '%s\n' "$line" ;;
                esac
            fi
            # shellcheck disable=SC2086 # split the marker line into words
            case $line in
            "XLAB: dom0 userspace"*) p "boot: dom0 userspace" ;;
            "XLAB-PHASE dom0-ready"*) p "boot: dom0 ready (xl info works)" ;;
            "XLAB-PHASE setup "*)
                set -- $line
                p "boot: dom0 $3"
                ;;
            "XLAB-PHASE dom0-broken"*) p "boot: dom0 up but the Xen tools do not work" ;;
            "XLAB-PHASE scenario-start"*)
                set -- $line
                p "scenario $3: started (${4:-})"
                ;;
            "XLAB-PHASE scenario-end"*)
                set -- $line
                p "scenario $3: finished, ${4:-} ${5:-} ${6:-}"
                ;;
            "XLAB: note:"* | "XLAB: modprobe"* | "XLAB:"*failed*) p "${line#XLAB: }" ;;
            "XLAB-FATAL"*) p "$line" ;;
            "XLAB-DEMO-START"*)
                live=1
                p "demo: ${line#XLAB-DEMO-START }"
                ;;
            "XLAB-DEMO-END"*) p "demo: xl returned (${line#XLAB-DEMO-END })" ;;
            esac
        done
}

# Takes one of XL_LAB_MAX_QEMU (default: one per 2 host CPUs) machine-wide
# QEMU slots: TCG is CPU-bound (-smp 2 keeps two host CPUs busy), and labs
# sharing CPUs run so slowly that libxl's own 40 s hotplug timeout fires.
# The slot is held (fd open) until the run ends.
take_qemu_slot() {
    local i waited="" max=${XL_LAB_MAX_QEMU:-$(($(nproc) / 2))}
    [ "$max" -ge 1 ] || max=1
    mkdir -p "$WORK_ROOT"
    while :; do
        for i in $(seq 1 "$max"); do
            exec {slotfd}>"$WORK_ROOT/.qemu-slot-$i"
            if flock -n "$slotfd"; then
                [ -z "$waited" ] || say "boot: got QEMU slot $i"
                return 0
            fi
            exec {slotfd}>&-
        done
        if [ -z "$waited" ]; then
            say "boot: waiting for a free QEMU slot ($max lab(s) at a time, XL_LAB_MAX_QEMU)"
            waited=1
        fi
        sleep 3
    done
}

# Boots Xen + dom0 in the background and watches it until QEMU exits.
# Sets FAIL_REASON when the lab had to be stopped.
boot_and_wait() { # boot_and_wait MODE TIMEOUT [SCENARIO-BUDGET]
    local mode=$1 tmo=$2 budget=${3:-} t0 now last scale
    take_qemu_slot
    qemu_cmd "stdio,id=ser0,signal=off"
    : >"$RUN/console.log"
    say "boot: Xen + dom0 in QEMU (accel $ACCEL, boot timeout ${BOOT_TIMEOUT}s, console: $RUN/console.log)"
    t0=$SECONDS
    "${QEMU[@]}" </dev/null > >(stamp >"$RUN/console.log") 2>&1 &
    QPID=$!
    echo "$QPID" >"$RUN/qemu.pid"
    follow "$mode" $((t0 - T_START)) &
    FOLLOW_PID=$!
    FAIL_REASON=""
    while kill -0 "$QPID" 2>/dev/null; do
        sleep 1
        now=$((SECONDS - t0))
        # dom0 scales the scenario timeouts by how slow its boot was
        if [ -n "$budget" ] && [ -f "$SHARE/out/scale" ]; then
            scale=$(cat "$SHARE/out/scale")
            [ -n "${XL_LAB_TIMEOUT:-}" ] || tmo=$((now + ${scale:-1} * budget + 60))
            budget=""
        fi
        if [ ! -f "$SHARE/out/dom0-ready" ] && [ $now -ge "$BOOT_TIMEOUT" ]; then
            last=$(grep -av '^\s*$' "$RUN/console.log" | tail -n 1 | cut -c1-160)
            FAIL_REASON="lab did not boot: dom0 not ready after ${BOOT_TIMEOUT}s (last console line: $last)"
        elif [ $now -ge "$tmo" ]; then
            FAIL_REASON="lab timed out after ${tmo}s (whole-run timeout)"
        elif grep -aq -e 'Kernel panic' -e '(XEN) Panic' -e 'XLAB-FATAL' -e 'dom0-broken' "$RUN/console.log"; then
            sleep 2 # let the reason reach the log
            last=$(grep -a -m1 -e 'Kernel panic' -e '(XEN) Panic' -e 'XLAB-FATAL' -e 'dom0-broken' "$RUN/console.log" | cut -c1-160)
            FAIL_REASON="lab did not boot: $last"
        fi
        if [ -n "$FAIL_REASON" ]; then
            say "stopping QEMU (pid $QPID): $FAIL_REASON"
            stop_qemu
            break
        fi
    done
    wait "$QPID" 2>/dev/null
    QEMU_RC=$?
    sleep 0.5
    kill "$FOLLOW_PID" 2>/dev/null
    wait "$FOLLOW_PID" 2>/dev/null
    QPID="" FOLLOW_PID=""
    say "boot: QEMU exited (status $QEMU_RC) after $((SECONDS - t0))s"
    if [ -z "$FAIL_REASON" ] && [ ! -f "$SHARE/out/dom0-ready" ]; then
        FAIL_REASON="lab did not boot: QEMU exited with status $QEMU_RC before dom0 was ready (see $RUN/console.log)"
    fi
}

# ---------------------------------------------------------------- run

# Resolves scenario arguments (00-boot, 00-boot.sh, 00, a path) to names.
resolve_scenarios() {
    local a m
    SCENARIOS=()
    CI_SKIPPED=()
    if [ $# = 0 ]; then
        # A scenario marked "# lab-ci: skip REASON" is reported as skipped
        # with its reason in a full run (named explicitly, it runs).
        for m in "$LAB"/scenarios/[0-9][0-9]-*.sh; do
            [ -f "$m" ] || continue
            if grep -q '^# lab-ci: skip ' "$m"; then
                CI_SKIPPED+=("$(basename "$m" .sh)")
            else
                SCENARIOS+=("$(basename "$m" .sh)")
            fi
        done
        return 0
    fi
    for a in "$@"; do
        a=$(basename "$a" .sh)
        if [ -f "$LAB/scenarios/$a.sh" ]; then
            SCENARIOS+=("$a")
            continue
        fi
        m=$(cd "$LAB/scenarios" && ls -- "$a"-*.sh 2>/dev/null)
        [ "$(printf '%s\n' "$m" | grep -c .)" = 1 ] || die "no single scenario matches '$a' (see $LAB/scenarios)"
        SCENARIOS+=("$(basename "$m" .sh)")
    done
}

scenario_timeout() {
    local t
    t=$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$LAB/scenarios/$1.sh" | head -n 1)
    echo "${t:-$SCENARIO_TIMEOUT}"
}

# Turns each scenario's TAP into one stream; a scenario that timed out,
# exited non-zero, broke its plan or never ran counts as a failure.
N=0 PASSED=0 FAILED=0 SKIPPED=0
tap() { # tap ok|not-ok DESCRIPTION
    N=$((N + 1))
    if [ "$1" = ok ]; then
        PASSED=$((PASSED + 1))
        case $2 in *"# SKIP"* | *"# skip"*) SKIPPED=$((SKIPPED + 1)) ;; esac
        echo "ok $N - $2"
    else
        FAILED=$((FAILED + 1))
        echo "not ok $N - $2"
    fi
}

report_scenario() { # report_scenario NAME TIMEOUT
    local name=$1 d=$SHARE/out/scenarios/$1 rc plan count line desc bad=0
    if [ ! -f "$d/rc" ]; then
        tap not-ok "$name: did not run (${FAIL_REASON:-dom0 stopped early})"
        return
    fi
    rc=$(cat "$d/rc")
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$d/tap.txt" | head -n 1)
    count=0
    while IFS= read -r line; do
        case $line in
        "ok "* | "not ok "*)
            count=$((count + 1))
            desc=$(printf '%s\n' "$line" | sed -E 's/^(not )?ok( [0-9]+)?( -)? ?//')
            case $line in
            ok*) tap ok "$name: $desc" ;;
            *"# TODO"*) tap ok "$name: $desc" ;;
            *)
                tap not-ok "$name: $desc"
                bad=1
                ;;
            esac
            ;;
        "Bail out!"*)
            tap not-ok "$name: $line"
            bad=1
            ;;
        esac
    done <"$d/tap.txt"
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        tap not-ok "$name: timed out after $(($2 * $(cat "$SHARE/out/scale" 2>/dev/null || echo 1)))s"
    elif [ -z "$plan" ]; then
        tap not-ok "$name: no TAP plan (exit status $rc; see $d/stderr.txt)"
    elif [ "$plan" != "$count" ]; then
        tap not-ok "$name: planned $plan tests, ran $count (exit status $rc)"
    elif [ "$rc" != 0 ] && [ $bad = 0 ]; then
        tap not-ok "$name: exited with status $rc"
    fi
}

cmd_run() {
    local name tmo total=0
    resolve_scenarios "$@"
    [ ${#SCENARIOS[@]} -gt 0 ] || die "no scenarios in $LAB/scenarios"
    prepare
    new_run run
    for name in "${SCENARIOS[@]}"; do
        tmo=$(scenario_timeout "$name")
        echo "$name $tmo" >>"$SHARE/plan"
        total=$((total + tmo + 30))
    done
    build_project
    choose_accel
    boot_and_wait run "${XL_LAB_TIMEOUT:-$((BOOT_TIMEOUT + total + 60))}" "$total"

    echo "TAP version 13"
    echo "# lab run: $RUN"
    [ -z "$BUILD_FAILED" ] || tap not-ok "lab: $BUILD_FAILED"
    if [ ! -f "$SHARE/out/dom0-ready" ]; then
        tap not-ok "${FAIL_REASON:-lab did not boot}"
    else
        for name in "${SCENARIOS[@]}"; do
            report_scenario "$name" "$(scenario_timeout "$name")"
        done
        for name in "${CI_SKIPPED[@]}"; do
            tap ok "$name # SKIP $(sed -n 's/^# lab-ci: skip //p' \
                "$LAB/scenarios/$name.sh" | head -n 1)"
        done
        if [ -n "$FAIL_REASON" ]; then tap not-ok "$FAIL_REASON"; fi
    fi
    echo "1..$N"
    echo "lab: $((PASSED - SKIPPED)) passed, $FAILED failed, $SKIPPED skipped"
    finish_run
    [ $FAILED = 0 ]
}

finish_run() {
    rm -f "$RUN/overlay.qcow2"
    say "logs: $RUN (console.log, share/out/)"
}

cmd_interactive() { # cmd_interactive shell|demo
    local mode=$1
    prepare
    new_run "$mode"
    build_project
    [ -z "$BUILD_FAILED" ] || say "warning: $BUILD_FAILED; dom0 has Debian's xl only"
    choose_accel
    if [ "$mode" = shell ]; then
        stty size >"$SHARE/ttysize" 2>/dev/null
        echo "${TERM:-vt100}" >"$SHARE/term"
        take_qemu_slot
        qemu_cmd "stdio,id=ser0,signal=off,logfile=$RUN/console.log"
        say "boot: Xen + dom0 in QEMU (accel $ACCEL); the dom0 shell appears in ~30 s"
        "${QEMU[@]}"
        QEMU_RC=$?
        finish_run
        return $QEMU_RC
    fi
    boot_and_wait demo "${XL_LAB_TIMEOUT:-$((BOOT_TIMEOUT + 300))}" 300
    finish_run
    if [ -n "$FAIL_REASON" ]; then
        echo "lab: demo failed: $FAIL_REASON" >&2
        return 1
    fi
    if [ "$(cat "$SHARE/out/demo.rc" 2>/dev/null)" != 0 ]; then
        echo "lab: demo failed: xl create -c exited with status $(cat "$SHARE/out/demo.rc" 2>/dev/null || echo '?')" >&2
        return 1
    fi
    say "demo: done, the lab shut down cleanly"
}

main() {
    local cmd=${1:-}
    [ $# -gt 0 ] && shift
    case $cmd in
    prepare)
        prepare
        echo "$IMG_DIR"
        ;;
    run) cmd_run "$@" ;;
    shell) cmd_interactive shell ;;
    demo)
        if [ "${1:-}" = --shell ]; then
            cmd_interactive shell
        else
            cmd_interactive demo
        fi
        ;;
    probe) # used by choose_accel: boots once, succeeds if dom0 came up
        prepare
        new_run probe
        choose_accel
        boot_and_wait probe $((BOOT_TIMEOUT + 30))
        finish_run
        [ -f "$SHARE/out/dom0-ready" ]
        ;;
    *) die "usage: lab.sh prepare | run [SCENARIO...] | shell | demo [--shell]" ;;
    esac
}

main "$@"; exit $? # one line: never read past it if the file changes
