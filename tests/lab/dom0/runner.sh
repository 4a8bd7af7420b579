#!/bin/bash
# Runs inside the lab's dom0 (from the host share, started by /sbin/xlab-init):
# starts the Xen services, installs the fresh build, then runs the scenarios,
# an interactive shell, or the demo, as the host asked in /mnt/host/mode.
#
# Host share layout (/mnt/host): mode (run|shell|demo|probe), plan (one
# "SCENARIO TIMEOUT" per line), stage/ (make install DESTDIR), configs/,
# lab/ (this directory and scenarios/), out/ (everything written back).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
H=/mnt/host
OUT=$H/out
MODE=$(cat "$H/mode" 2>/dev/null || echo run)
DEBXL=/usr/sbin/xl
SCALE=1
mkdir -p "$OUT"

up() { cut -d' ' -f1 /proc/uptime; }
# Phase markers go to the console, where the host follows them.
phase() { echo "XLAB-PHASE $* uptime=$(up)"; }

setup_dom0() {
    hostname dom0
    ip link set lo up
    mkdir -p /run/lock /run/xen /var/log/xen/console /var/lib/xen /var/lib/xl-lab
    # What udev or systemd would have made on a real dom0: hotplug scripts
    # (ours and Debian's) use bash process substitution, i.e. /dev/fd.
    [ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
    [ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
    [ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
    [ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
    # xen-blkfront: libxl attaches a guest disk to dom0 itself for pygrub
    # when the disk goes through a hotplug script.
    for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback \
        xen-blkfront xen-netback bridge loop tun; do
        modprobe "$m" || echo "XLAB: modprobe $m failed"
    done
    mountpoint -q /proc/xen || mount -t xenfs xenfs /proc/xen
    phase "setup modules-loaded"

    # The fresh build (our xl in /usr/local/sbin, hotplug scripts in
    # /usr/local/libexec/xl-toolstack/scripts) and the example configs.
    if [ -d "$H/stage" ]; then
        cp -a "$H/stage/." / && ldconfig
    fi
    for f in "$H"/configs/*.cfg; do
        [ -f "$f" ] && cp "$f" /etc/xen/
    done
    phase "setup build-installed"

    /etc/init.d/xen start >"$OUT/xen-start.log" 2>&1 ||
        echo "XLAB: /etc/init.d/xen start failed (see out/xen-start.log)"
    phase "setup xen-daemons-started"
    ip link add xenbr0 type bridge &&
        ip addr add 192.168.77.1/24 dev xenbr0 &&
        ip link set xenbr0 up
    {
        echo "uptime $(up)"
        echo "ours $(ls -l /usr/local/sbin/xl 2>&1)"
        $DEBXL info 2>&1
    } >"$OUT/dom0-info.txt"
    # Timeouts stretch with the emulation speed actually seen: a busy host
    # can make TCG several times slower than the ~30 s boot of an idle one.
    SCALE=$(($(cut -d. -f1 /proc/uptime) / 60 + 1))
    [ $SCALE -le 8 ] || SCALE=8
    echo $SCALE >"$OUT/scale"
    if $DEBXL info >/dev/null 2>&1; then
        echo ok >"$OUT/dom0-ready"
        phase "dom0-ready"
    else
        phase "dom0-broken xl info failed"
    fi
}

# Destroys every domain but dom0 so one scenario's leftovers do not
# poison the next; Debian's xl is used as it is the trusted one.
cleanup_domains() {
    local d
    for d in $($DEBXL list 2>/dev/null | awk 'NR > 1 && $2 != 0 {print $2}'); do
        timeout $((60 * SCALE)) $DEBXL destroy "$d" >/dev/null 2>&1
    done
}

collect() { # collect DIR: logs, xenstore and hypervisor state after a scenario
    local d=$1
    mkdir -p "$d/logs"
    cp -a /var/log/xen/. "$d/logs/" 2>/dev/null
    xenstore-ls -fp >"$d/xenstore.txt" 2>&1
    $DEBXL list >"$d/xl-list.txt" 2>&1
    # Not cleared (-c): scenarios may read the logs from boot on.
    $DEBXL dmesg >"$d/xen-dmesg.txt" 2>&1
    dmesg >"$d/dom0-dmesg.txt" 2>&1
    {
        losetup -a
        ip -br link
    } >"$d/dom0-devices.txt" 2>&1
}

run_scenarios() {
    local name tmo d rc t0 pass fail
    while read -r name tmo; do
        [ -n "$name" ] || continue
        d=$OUT/scenarios/$name
        mkdir -p "$d" "/tmp/xlab/$name"
        tmo=$((tmo * SCALE))
        phase "scenario-start $name timeout=${tmo}s"
        t0=$(up)
        (
            cd "/tmp/xlab/$name" || exit 1
            XLAB_OUT=$d XLAB_SCENARIO=$name XLAB_WORK=/tmp/xlab/$name XLAB_SCALE=$SCALE \
                exec timeout -k 10 "$tmo" bash "$H/lab/scenarios/$name.sh" \
                </dev/null >"$d/tap.txt" 2>"$d/stderr.txt"
        )
        rc=$?
        echo "$rc" >"$d/rc"
        echo "$t0 $(up)" >"$d/uptime"
        collect "$d"
        cleanup_domains
        collect "$d/after-cleanup"
        find /var/log/xen -type f -delete 2>/dev/null
        pass=$(grep -c '^ok ' "$d/tap.txt")
        fail=$(grep -c '^not ok ' "$d/tap.txt")
        phase "scenario-end $name rc=$rc ok=$pass not-ok=$fail"
    done <"$H/plan"
}

interactive() { # a login shell on hvc0 with job control
    local rows cols
    read -r rows cols <"$H/ttysize" 2>/dev/null
    [ -n "$rows" ] && stty -F /dev/hvc0 rows "$rows" cols "$cols"
    cat <<MSG
XLAB: dom0 ready. Our xl: $(command -v xl) ($([ -x /usr/local/sbin/xl ] && echo ours || echo "Debian's: ours not built"))
XLAB: Debian's xl: $DEBXL. Example guest: xl create -c /etc/xen/dom01.cfg
XLAB: host share at $H. Leave with 'exit' (or Ctrl-D): dom0 powers off.
MSG
    TERM=$(cat "$H/term" 2>/dev/null || echo vt100) PS1='dom0:\w# ' \
        setsid -w -c bash --norc -i <>/dev/hvc0 >&0 2>&1
}

demo() {
    local xl=/usr/local/sbin/xl rc
    if ! { [ -x $xl ] && $xl help 2>&1 | grep -qw create; }; then
        echo "XLAB: note: our xl has no 'create' yet; the demo uses Debian's $DEBXL"
        xl=$DEBXL
    fi
    echo "XLAB-DEMO-START $xl create -c /etc/xen/dom01.cfg"
    setsid -w -c $xl create -c /etc/xen/dom01.cfg <>/dev/hvc0 >&0 2>&1
    rc=$?
    echo "$rc" >"$OUT/demo.rc"
    echo "XLAB-DEMO-END rc=$rc"
    collect "$OUT/demo"
}

phase "runner-start mode=$MODE"
setup_dom0
case $MODE in
run) [ -f "$OUT/dom0-ready" ] && run_scenarios ;;
shell) interactive ;;
demo) [ -f "$OUT/dom0-ready" ] && demo ;;
probe) ;;
esac
cleanup_domains
phase "runner-done"
