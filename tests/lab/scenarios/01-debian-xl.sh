#!/bin/bash
# 01-debian-xl: Debian's xl (the oracle for differential tests) works on this hypervisor.
# lab-timeout: 60
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 6

out=$("$DEBXL" list 2>&1)
like "$out" '^Name[[:space:]]+ID[[:space:]]+Mem[[:space:]]+VCPUs[[:space:]]+State[[:space:]]+Time\(s\)$' \
    "xl list prints its header"
like "$out" '^Domain-0 +0 +[0-9]+ +[0-9]+ +r' "xl list shows Domain-0 running"
out=$("$DEBXL" vcpu-list 2>&1)
like "$out" '^Name +ID +VCPU +CPU +State +Time\(s\) +Affinity \(Hard / Soft\)$' "xl vcpu-list prints its header"
is "$(printf '%s\n' "$out" | grep -c '^Domain-0 ')" 2 "xl vcpu-list shows dom0's two vCPUs"
out=$("$DEBXL" dmesg 2>&1)
like "$out" '\(XEN\) .*(Xen version 4\.17|Dom0 has maximum)' "xl dmesg shows the hypervisor's boot log"
out=$("$DEBXL" info 2>&1)
like "$out" 'xen_commandline +:.*dom0_mem=1024M' "xl info shows the lab's Xen command line"
done_testing
