#!/bin/bash
# 42-xlconf: /etc/xen/xl.conf honoured on real Xen, against Debian's xl
# where it reads the same file: autoballoon, lockfile, vm.cpumask (create
# and vcpu-pin), cpus naming CPUs the host lacks, max_grant_version,
# domid_policy, output_format = "sxp" (list -l and create -n).
# The host's xl.conf is put back on exit, whatever happens.
# lab-timeout: 600
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
have_ours || skip_all "our xl is not built"

CONF=/etc/xen/xl.conf
SAVED=$XLAB_WORK/xl.conf.saved
if [ -e "$CONF" ]; then
    cp -a "$CONF" "$SAVED" || skip_all "cannot save $CONF"
fi
restore_conf() {
    if [ -e "$SAVED" ]; then
        cp -a "$SAVED" "$CONF"
    else
        rm -f "$CONF"
    fi
}
# shellcheck disable=SC2317 # run by the EXIT trap
on_exit() {
    [ -n "${HOLDER:-}" ] && kill "$HOLDER" 2>/dev/null
    cleanup_domains
    restore_conf
    [ -n "${DOM0_MB:-}" ] && $DEBXL mem-set 0 "$DOM0_MB" >/dev/null 2>&1
}
trap on_exit EXIT

# set_conf LINE...: the host's xl.conf becomes exactly these lines.
set_conf() { printf '%s\n' "$@" >"$CONF"; }

# hard DOMAIN: the hard affinity of each vCPU, as Debian's vcpu-list shows.
hard() { $DEBXL vcpu-list "$1" | awk 'NR > 1 { print $7 }' | tr '\n' ' '; }

free_mb() { $DEBXL info | awk '$1 == "free_memory" { print $3 }'; }
dom0_mb() { $DEBXL list 0 | awk 'NR == 2 { print $3 }'; }

ncpus=$($DEBXL info | awk '$1 == "nr_cpus" { print $3 }')
diag "host CPUs: $ncpus, free memory: $(free_mb) MiB"
DOM0_MB=$(dom0_mb)

# --- autoballoon ------------------------------------------------------------
# A guest a little bigger than the free memory: with "off" neither xl may
# touch dom0 (the create fails), with "on" ours shrinks dom0 to fit it.
big=$(($(free_mb) + 48))
cfgbig=$(guest_cfg x42big pv "memory = $big" "maxmem = $big")
set_conf 'autoballoon = "off"'
before=$(dom0_mb)
out=$(timeout "$(secs 120)" "$XL" create -p "$cfgbig" 2>&1)
rc=$?
isnt "$rc" 0 "autoballoon=off: a guest bigger than the free memory is not created"
is "$(dom0_mb)" "$before" "autoballoon=off: our create left dom0's memory alone"
cleanup_domains
timeout "$(secs 120)" "$DEBXL" create -p "$cfgbig" >/dev/null 2>&1
is "$(dom0_mb)" "$before" "autoballoon=off: so did Debian's xl"
cleanup_domains
set_conf 'autoballoon = "on"'
if timeout "$(secs 240)" "$XL" create -p "$cfgbig" >"$XLAB_WORK/big.out" 2>&1; then
    pass "autoballoon=on: the same guest is created"
else
    fail "autoballoon=on: the same guest is created"
    diag_file "$XLAB_WORK/big.out"
fi
after=$(dom0_mb)
if [ -n "$after" ] && [ -n "$before" ] && [ "$after" -lt "$before" ]; then
    pass "autoballoon=on: dom0 was ballooned down ($before -> $after MiB)"
else
    fail "autoballoon=on: dom0 was ballooned down ($before -> $after MiB)"
fi
cleanup_domains
$DEBXL mem-set 0 "$DOM0_MB" >/dev/null 2>&1

# --- lockfile ---------------------------------------------------------------
# A fcntl lock held by another process makes our create wait; the lock is
# taken at lockfile's path, not at the default.
LOCK=/run/xl-test.lock
rm -f "$LOCK" /var/lock/xl
set_conf "lockfile = \"$LOCK\""
cfgl=$(guest_cfg x42lock pv)
if ! command -v python3 >/dev/null; then
    for i in 1 2 3 4; do skip "lockfile check $i" "no python3 in dom0 to hold a fcntl lock"; done
else
python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "w")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[1] + ".held", "w").close()
time.sleep(float(sys.argv[2]))
' "$LOCK" "$(secs 8)" &
HOLDER=$!
wait_for 10 test -e "$LOCK.held"
t0=$(now_ms)
timeout "$(secs 120)" "$XL" create -p "$cfgl" >"$XLAB_WORK/lock.out" 2>&1 &
CREATE=$!
sleep "$(secs 4)"
if domain_exists x42lock; then
    fail "lockfile: create waits while $LOCK is held"
else
    pass "lockfile: create waits while $LOCK is held"
fi
wait "$HOLDER"
HOLDER=
if wait "$CREATE"; then
    pass "lockfile: create goes on once the lock is released ($(($(now_ms) - t0)) ms)"
else
    fail "lockfile: create goes on once the lock is released"
    diag_file "$XLAB_WORK/lock.out"
fi
ok "lockfile: $LOCK exists" test -e "$LOCK"
ok "lockfile: the default /var/lock/xl was not used" test ! -e /var/lock/xl
fi
cleanup_domains
rm -f "$LOCK" "$LOCK.held"

# --- vm.cpumask -------------------------------------------------------------
set_conf 'vm.cpumask = "0"'
cfgm=$(guest_cfg x42mask pv 'vcpus = 2' 'uuid = "42424242-0000-4000-8000-000000000042"')
xl_diff -m "vm.cpumask: create -n JSON matches Debian's" create -n "$cfgm"
ok "vm.cpumask: our create" timeout "$(secs 120)" "$XL" create -p "$cfgm"
ours=$(hard x42mask)
cleanup_domains
ok "vm.cpumask: Debian's create" timeout "$(secs 120)" "$DEBXL" create -p "$cfgm"
deb=$(hard x42mask)
is "$ours" "0 0 " "vm.cpumask=\"0\": both vCPUs hard-pinned to CPU 0 (ours)"
is "$ours" "$deb" "vm.cpumask: the same hard affinity as Debian's xl gives"
if [ "$ncpus" -ge 2 ]; then
    ok "vm.cpumask: vcpu-pin x42mask all all" "$XL" vcpu-pin x42mask all all
    is "$(hard x42mask)" "0 0 " "vm.cpumask: vcpu-pin's hard affinity is masked too"
    ok "vm.cpumask: vcpu-pin -i x42mask all all" "$XL" vcpu-pin -i x42mask all all
    is "$(hard x42mask)" "all all " "vm.cpumask: -i skips the mask"
else
    for i in 1 2 3 4; do skip "vcpu-pin under the mask $i" "host has one CPU"; done
fi
cleanup_domains
set_conf 'vm.cpumask = "1000"'
out=$("$XL" create -n "$cfgm" 2>&1)
is "$?" 1 "vm.cpumask of no CPU of the host: create refused"
like "$out" 'xl.conf:1:15: error: .1000. leaves no CPU' "... at the mask, in xl.conf"

# --- cpus with CPUs the host lacks ------------------------------------------
set_conf '# empty'
cfgc=$(guest_cfg x42cpus pv 'vcpus = 2' 'cpus = ["0-63", "0-63"]' \
    'uuid = "42424242-0000-4000-8000-000000000043"')
xl_diff -m "cpus=[\"0-63\",\"0-63\"]: create -n JSON matches Debian's" create -n "$cfgc"
if timeout "$(secs 120)" "$XL" create -p "$cfgc" >"$XLAB_WORK/cpus.out" 2>&1; then
    pass "cpus=[\"0-63\",\"0-63\"]: our create accepts it on a $ncpus-CPU host"
else
    fail "cpus=[\"0-63\",\"0-63\"]: our create accepts it on a $ncpus-CPU host"
    diag_file "$XLAB_WORK/cpus.out"
fi
like "$(cat "$XLAB_WORK/cpus.out")" \
    "x42cpus.cfg:[0-9]+:[0-9]+: warning: '0-63' names CPUs this host lacks \\($ncpus-63" \
    "... with a located warning naming the CPUs it lacks"
ours=$(hard x42cpus)
cleanup_domains
ok "cpus out of range: Debian's create" timeout "$(secs 120)" "$DEBXL" create -p "$cfgc"
is "$ours" "$(hard x42cpus)" "cpus out of range: the same hard affinity as Debian's xl"
cleanup_domains

# --- max_grant_version, domid_policy ----------------------------------------
set_conf 'max_grant_version = 1'
xl_diff -m "max_grant_version=1: create -n JSON matches Debian's" create -n "$cfgm"
like "$("$XL" create -n "$cfgm" 2>/dev/null)" '"max_grant_version": 1' \
    "... and carries max_grant_version 1"
set_conf 'domid_policy = "xen"'
ok "domid_policy=xen: create" timeout "$(secs 120)" "$XL" create -p "$cfgl"
seq_id=$($DEBXL domid x42lock)
cleanup_domains
set_conf 'domid_policy = "random"'
ok "domid_policy=random: create" timeout "$(secs 120)" "$XL" create -p "$cfgl"
rnd_id=$($DEBXL domid x42lock)
diag "domids: xen policy $seq_id, random policy $rnd_id"
isnt "$rnd_id" "$((seq_id + 1))" "domid_policy=random: not the next id in sequence"

# --- output_format = "sxp" --------------------------------------------------
set_conf 'output_format = "sxp"'
xl_diff -m "output_format=sxp: list -l matches Debian's byte for byte" list -l
xl_diff -m "output_format=sxp: list -l x42lock matches Debian's" list -l x42lock
like "$("$XL" list -l 2>/dev/null)" '^\(domain' "... and is SXP"
cleanup_domains
xl_diff -m "output_format=sxp: create -n matches Debian's" create -n "$cfgm"
set_conf 'output_format = "xml"'
out=$("$XL" list -l 2>&1)
is "$?" 1 "output_format=\"xml\": refused"
like "$out" 'xl.conf:1:18: error: invalid output_format' "... with its place in xl.conf"

restore_conf
done_testing
