#!/bin/bash
# 41-mem-sched: our mem-set/mem-max and sched-credit/credit2 on Domain-0 and a credit pool, against Debian's xl.
# lab-timeout: 300
. "$(dirname "$0")/lib.sh"

have_ours || skip_all "our xl is not installed (build failed?)"

target_kb() { xs_read "/local/domain/$1/memory/target"; }
static_max_kb() { xs_read "/local/domain/$1/memory/static-max"; }
dom0_mem_mb() { $DEBXL list Domain-0 | awk 'NR == 2 { print $3 }'; }

t0=$(target_kb 0)
m0=$(static_max_kb 0)
diag "dom0 target ${t0} KiB, static-max ${m0} KiB, list says $(dom0_mem_mb) MiB"

# --- mem-set: units as the reference (bare number = MiB) --------------------
ok "mem-set Domain-0 900 (bare number: MiB)" $XL mem-set Domain-0 900
is "$(target_kb 0)" $((900 * 1024)) "target is 900 MiB in KiB"
if wait_for 60 sh -c "[ \$($DEBXL list Domain-0 | awk 'NR == 2 { print \$3 }') -le 901 ]"; then
    pass "dom0 ballooned down to 900 MiB (xl list)"
else
    fail "dom0 ballooned down to 900 MiB (xl list)"
    diag "xl list says $(dom0_mem_mb) MiB"
fi
ok "mem-set Domain-0 921600k" $XL mem-set Domain-0 921600k
is "$(target_kb 0)" 921600 "k suffix is KiB"
ok "mem-set Domain-0 943718400b" $XL mem-set Domain-0 943718400b
is "$(target_kb 0)" 921600 "b suffix is bytes"
$DEBXL mem-set Domain-0 950 >/dev/null 2>&1
ref=$(target_kb 0)
$XL mem-set Domain-0 900
$XL mem-set Domain-0 950
is "$(target_kb 0)" "$ref" "mem-set 950 sets the same target as Debian's xl"

out=$($XL mem-set Domain-0 12q 2>&1)
is "$?" 1 "mem-set with a bad unit exits 1"
like "$out" "12q" "... naming the value"
is "$(target_kb 0)" "$ref" "... and changes nothing"
xl_diff -m "mem-set of an unknown domain fails like the reference" mem-set no-such-domain 512

# --- mem-max ------------------------------------------------------------------
ok "mem-max Domain-0 1100" $XL mem-max Domain-0 1100
is "$(static_max_kb 0)" $((1100 * 1024)) "static-max is 1100 MiB"
ok "mem-max Domain-0 1g" $XL mem-max Domain-0 1g
is "$(static_max_kb 0)" 1048576 "g suffix is GiB"
$DEBXL mem-max Domain-0 1100 >/dev/null 2>&1
ref=$(static_max_kb 0)
$XL mem-max Domain-0 1g
$XL mem-max Domain-0 1100
is "$(static_max_kb 0)" "$ref" "mem-max 1100 sets the same static-max as Debian's xl"
out=$($XL mem-max Domain-0 -5 2>&1)
is "$?" 2 "mem-max -5: a negative size reads as an unknown option (usage, exit 2)"
out=$($XL mem-max Domain-0 5x 2>&1)
is "$?" 1 "mem-max with a bad unit exits 1"

# Restore what the boot gave dom0 (the lab boots it with 1024M,max:1024M).
$XL mem-max Domain-0 "$((${m0:-1048576} / 1024))"
$XL mem-set Domain-0 "$((${t0:-1048576} / 1024))"
# Before any mem-set the store has no target for dom0: the boot's 1024M.
is "$(target_kb 0)" "${t0:-1048576}" "dom0 target restored"

# --- credit2: the default scheduler of Xen 4.17 -------------------------------
sched=$($DEBXL info | awk '$1 == "xen_scheduler" { print $3 }')
diag "xen_scheduler: $sched"
xl_diff sched-credit2
xl_diff sched-credit2 -d Domain-0
xl_diff sched-credit2 -s
xl_diff sched-credit2 -s -p Pool-0
xl_diff -m "sched-credit lists no pool when none uses credit" sched-credit
xl_diff -m "sched-credit -d on a credit2 domain fails like the reference" \
    sched-credit -d Domain-0

ok "sched-credit2 -d Domain-0 -w 512 -c 50" $XL sched-credit2 -d Domain-0 -w 512 -c 50
is "$($DEBXL sched-credit2 -d Domain-0 | awk 'NR == 2 { print $3, $4 }')" "512 50" \
    "Debian's xl sees weight 512, cap 50"
ok "sched-credit2 -d Domain-0 -w 256 -c 0" $XL sched-credit2 -d Domain-0 -w 256 -c 0
is "$($DEBXL sched-credit2 -d Domain-0 | awk 'NR == 2 { print $3, $4 }')" "256 0" \
    "weight and cap restored"
r0=$($DEBXL sched-credit2 -s | sed -n 's/.*ratelimit=\([0-9]*\)us.*/\1/p')
ok "sched-credit2 -s -r 500" $XL sched-credit2 -s -r 500
like "$($DEBXL sched-credit2 -s)" "ratelimit=500us" "pool-wide ratelimit is 500us"
$XL sched-credit2 -s -r "${r0:-1000}"
out=$($XL sched-credit2 -d Domain-0 -w lots 2>&1)
is "$?" 1 "a non-numeric weight is refused"
like "$out" "lots" "... naming it"
out=$($XL sched-credit2 -s -d Domain-0 2>&1)
is "$?" 1 "-s with -d is refused"

# --- a credit pool: CPU 1 moved out of Pool-0 -------------------------------
ncpus=$($DEBXL info | awk '$1 == "nr_cpus" { print $3 }')
if [ "$ncpus" -lt 2 ]; then
    skip_rest=1
else
    skip_rest=""
    $DEBXL vcpu-pin Domain-0 all 0 >/dev/null 2>&1
    if ! $DEBXL cpupool-cpu-remove Pool-0 1 >"$XLAB_WORK/pool.log" 2>&1 ||
        ! $DEBXL cpupool-create name=\"cp-credit\" sched=\"credit\" cpus=\"1\" \
            >>"$XLAB_WORK/pool.log" 2>&1; then
        diag_file "$XLAB_WORK/pool.log"
        skip_rest=1
    fi
fi
if [ -z "$skip_rest" ]; then
    pass "set up cpupool cp-credit (credit) on CPU 1"
    xl_diff cpupool-list
    xl_diff cpupool-list -c
    xl_diff cpupool-list cp-credit
    cfg=$(guest_cfg g41 pv 'extra = "console=hvc0 xlab.stay=1"' 'pool = "cp-credit"')
    # Debian's xl creates it: this checks scheduling, not `pool=` parsing.
    ok "create g41 in cp-credit" $DEBXL create "$cfg"
    xl_diff sched-credit
    xl_diff sched-credit -d g41
    xl_diff sched-credit -s -p cp-credit
    xl_diff sched-credit -p cp-credit
    ok "sched-credit -d g41 -w 300 -c 20" $XL sched-credit -d g41 -w 300 -c 20
    is "$($DEBXL sched-credit -d g41 | awk 'NR == 2 { print $3, $4 }')" "300 20" \
        "Debian's xl sees weight 300, cap 20"
    ok "sched-credit -s -p cp-credit -t 20 -r 500 -m 100" \
        $XL sched-credit -s -p cp-credit -t 20 -r 500 -m 100
    like "$($DEBXL sched-credit -s -p cp-credit)" \
        "tslice=20ms ratelimit=500us migration-delay=100us" "pool-wide credit parameters set"
    out=$($XL sched-credit -s -p cp-credit -t 1 -r 5000 2>&1)
    is "$?" 1 "ratelimit above the time slice is refused"
    diag "$out"
    xl_diff -m "sched-credit -p of an unknown pool fails like the reference" \
        sched-credit -p no-such-pool
    $DEBXL destroy g41 >/dev/null 2>&1
    wait_gone g41 30
else
    skip "set up cpupool cp-credit" "needs 2 CPUs and Debian's cpupool-create"
fi
$DEBXL cpupool-destroy cp-credit >/dev/null 2>&1
$DEBXL cpupool-cpu-add Pool-0 1 >/dev/null 2>&1
$DEBXL vcpu-pin Domain-0 all all >/dev/null 2>&1
xl_diff -m "cpupool-list after cleanup matches the reference" cpupool-list

done_testing
