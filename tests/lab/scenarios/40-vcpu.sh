#!/bin/bash
# 40-vcpu: our vcpu-list/vcpu-pin/vcpu-set/cpupool-list on Domain-0 and a guest, against Debian's xl.
# lab-timeout: 300
#
# Works on any boot of the lab: when Xen was booted with dom0_vcpus_pin
# (the GRUB boot, tests/lab/grub-boot.sh), the boot-time pinning is checked
# too; otherwise that one check is skipped with the reason.
. "$(dirname "$0")/lib.sh"

have_ours || skip_all "our xl is not installed (build failed?)"

# The guest is created with our xl when it has `create`, else Debian's:
# this scenario is about vCPUs, not creation.
XLC=$XL
has_command "$XL" create || XLC=$DEBXL

# Fields of Debian's vcpu-list for DOMAIN's VCPU: "CPU STATE HARD SOFT".
vcpu_row() {
    $DEBXL vcpu-list "$1" | awk -v v="$2" 'NR > 1 && $3 == v {
        print $4, $5, $7, $9 }'
}
# Hard / soft affinity of DOMAIN's VCPU as Debian's xl prints them.
affinity() { vcpu_row "$1" "$2" | awk '{ print $3 " / " $4 }'; }

# Normaliser for live vcpu-list output: times, and which pCPU a vCPU is on
# and whether it is running or blocked right now (they change between the
# two xls' runs); the offline flag, affinities and layout are kept.
# shellcheck disable=SC2317 # called by xl_diff -n
norm_vcpu() {
    norm_times | sed -E 's/^(.{44}) *[0-9]+(   )[r-][b-]([-p])/\1  cpu\2xx\3/'
}

ncpus=$($DEBXL info | awk '$1 == "nr_cpus" { print $3 }')
ndom0=$($DEBXL vcpu-list Domain-0 | awk 'NR > 1' | wc -l)
cmdline=$($DEBXL info | sed -n 's/^xen_commandline *: //p')
diag "host CPUs: $ncpus, dom0 vCPUs: $ndom0, Xen: $cmdline"
last=$((ncpus - 1))

# --- listing, byte for byte against the reference --------------------------
xl_diff -n norm_vcpu vcpu-list
xl_diff -n norm_vcpu vcpu-list Domain-0
xl_diff -n norm_vcpu vcpu-list 0
xl_diff -m "vcpu-list of an unknown domain fails like the reference" \
    vcpu-list no-such-domain
xl_diff cpupool-list
xl_diff cpupool-list -c
xl_diff cpupool-list Pool-0

# --- boot-time pinning ------------------------------------------------------
case " $cmdline " in
*" dom0_vcpus_pin "*)
    is "$(affinity Domain-0 0)" "0 / all" "dom0_vcpus_pin: vCPU 0 hard-pinned to pCPU 0"
    out=$($XL vcpu-list Domain-0 | awk 'NR == 2 { print $7 }')
    is "$out" 0 "our vcpu-list shows the boot pinning too"
    ;;
*)
    skip "dom0_vcpus_pin: vCPU 0 hard-pinned to pCPU 0" \
        "this boot has no dom0_vcpus_pin (tests/lab/grub-boot.sh checks it)"
    skip "our vcpu-list shows the boot pinning too" "no dom0_vcpus_pin"
    ;;
esac

# --- run-time pinning of Domain-0 -------------------------------------------
ok "vcpu-pin Domain-0 all 0" $XL vcpu-pin Domain-0 all 0
bad=$(for v in $(seq 0 $((ndom0 - 1))); do affinity Domain-0 "$v"; done | grep -vc '^0 / all$')
is "$bad" 0 "every dom0 vCPU now hard-pinned to pCPU 0 (Debian's vcpu-list)"
xl_diff -n norm_vcpu -m "vcpu-list after re-pinning matches the reference" vcpu-list Domain-0

if [ "$ncpus" -ge 2 ]; then
    ok "vcpu-pin Domain-0 0 1 0 (hard 1, soft 0)" $XL vcpu-pin Domain-0 0 1 0
    is "$(affinity Domain-0 0)" "1 / 0" "hard and soft masks both set"
    ok "vcpu-pin Domain-0 0 - 0-$last ('-' keeps hard)" $XL vcpu-pin Domain-0 0 - "0-$last"
    is "$(affinity Domain-0 0)" "1 / all" "'-' left the hard mask alone"
    ok "vcpu-pin Domain-0 0 0-$last,^1 (ranges and ^)" $XL vcpu-pin Domain-0 0 "0-$last,^1"
    want=0
    [ "$last" -ge 2 ] && want="0,2-$last" && [ "$last" = 2 ] && want="0,2"
    is "$(affinity Domain-0 0 | cut -d' ' -f1)" "$want" "0-$last,^1 gives $want"
else
    for i in 1 2 3 4 5 6; do skip "two-CPU pinning check $i" "host has one CPU"; done
fi
ok "vcpu-pin Domain-0 all node:0" $XL vcpu-pin Domain-0 all node:0
is "$(affinity Domain-0 0)" "all / all" "node:0 is every CPU of this one-node host"

# Same request through both xls must leave the same state.
$DEBXL vcpu-pin Domain-0 all 0 1 >/dev/null 2>&1
ref=$($DEBXL vcpu-list Domain-0 | norm_times | awk '{ $4 = $5 = ""; print }')
$DEBXL vcpu-pin Domain-0 all all all >/dev/null 2>&1
$XL vcpu-pin Domain-0 all 0 1
ours=$($DEBXL vcpu-list Domain-0 | norm_times | awk '{ $4 = $5 = ""; print }')
is "$ours" "$ref" "vcpu-pin all 0 1: same affinities as Debian's xl sets"

# Errors: nothing changes, exit 1, a message naming the problem.
before=$(affinity Domain-0 0)
out=$($XL vcpu-pin Domain-0 0 "$ncpus" 2>&1)
rc=$?
is "$rc" 1 "pinning to a CPU the host lacks exits 1"
like "$out" "CPU|cpu" "... with a message about the CPU"
is "$(affinity Domain-0 0)" "$before" "... and leaves the affinity alone"
out=$($XL vcpu-pin Domain-0 0 '^all' 2>&1)
is "$?" 1 "'^all' is refused"
out=$($XL vcpu-pin Domain-0 7x 0 2>&1)
is "$?" 1 "a malformed vCPU is refused"
like "$out" "7x" "... naming it"
xl_diff -m "vcpu-pin -N prints the cpumaps like the reference" -- \
    -N vcpu-pin Domain-0 0 0 all
$XL vcpu-pin Domain-0 all all all

# --- a guest kept off dom0's pCPU with cpus= ---------------------------------
if [ "$ncpus" -ge 2 ]; then
    ok "pin dom0 to pCPU 0" $XL vcpu-pin Domain-0 all 0
    cfg=$(guest_cfg g40 pv 'extra = "console=hvc0 xlab.stay=1"' "cpus = \"1-$last\"" \
        'vcpus = 1' 'maxvcpus = 2')
    ok "create g40 with cpus=\"1-$last\" (with $XLC)" $XLC create "$cfg"
    if wait_console g40 "$GUEST_BANNER" 90; then pass "g40 booted"; else fail "g40 booted"; fi
    hard=$(affinity g40 0 | cut -d' ' -f1)
    want="1-$last"
    [ "$last" = 1 ] && want=1
    is "$hard" "$want" "g40 vCPU 0 hard affinity is cpus= ($want)"
    cpu=$(vcpu_row g40 0 | cut -d' ' -f1)
    isnt "$cpu" 0 "g40 vCPU 0 is not on dom0's pCPU 0 (on $cpu)"
    xl_diff -n norm_vcpu -m "vcpu-list g40 (one vCPU offline) matches the reference" \
        vcpu-list g40
    # vcpu-set's effect is the guest's cpu/N/availability in the store;
    # onlining the CPU is then up to the guest (udev), which the lab's
    # busybox guest does not have.
    g40=$($DEBXL domid g40)
    ok "vcpu-set g40 2" $XL vcpu-set g40 2
    is "$(xs_read "/local/domain/$g40/cpu/1/availability")" online \
        "vcpu-set g40 2 marks vCPU 1 online for the guest"
    ok "vcpu-set g40 1" $XL vcpu-set g40 1
    is "$(xs_read "/local/domain/$g40/cpu/1/availability")" offline \
        "vcpu-set g40 1 marks vCPU 1 offline again"
    out=$($XL vcpu-set g40 3 2>&1)
    is "$?" 1 "vcpu-set above maxvcpus fails"
    diag "$out"
    $XLC destroy g40 >/dev/null 2>&1 || $DEBXL destroy g40 >/dev/null 2>&1
    $XL vcpu-pin Domain-0 all all all
else
    for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "guest cpus= check $i" "host has one CPU"; done
fi

# --- vcpu-set on Domain-0 ----------------------------------------------------
out=$($XL vcpu-set Domain-0 $((ncpus + 8)) 2>&1)
is "$?" 1 "vcpu-set beyond the host's CPUs is refused without -i"
like "$out" "-i" "... and the message names -i"
if [ "$ndom0" -ge 2 ]; then
    ok "vcpu-set Domain-0 1" $XL vcpu-set Domain-0 1
    if wait_for 30 sh -c "[ \$($DEBXL list Domain-0 | awk 'NR == 2 { print \$4 }') = 1 ]"; then
        pass "dom0 now has 1 online vCPU"
    else
        fail "dom0 now has 1 online vCPU"
        diag "$($DEBXL vcpu-list Domain-0)"
    fi
    ok "vcpu-set Domain-0 $ndom0" $XL vcpu-set Domain-0 "$ndom0"
    is "$(xs_read /local/domain/0/cpu/1/availability)" online \
        "vcpu-set Domain-0 $ndom0 marks vCPU 1 online"
    # The lab's dom0 runs no udev, which would online the CPU: do its job.
    for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
        [ -f "$c" ] && echo 1 >"$c" 2>/dev/null
    done
    if wait_for 30 sh -c "[ \$($DEBXL list Domain-0 | awk 'NR == 2 { print \$4 }') = $ndom0 ]"; then
        pass "dom0 back to $ndom0 online vCPUs"
    else
        fail "dom0 back to $ndom0 online vCPUs"
    fi
else
    for i in 1 2 3 4 5; do skip "dom0 vcpu-set check $i" "dom0 has one vCPU"; done
fi

done_testing
