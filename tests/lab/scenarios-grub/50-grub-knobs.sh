#!/bin/bash
# 50-grub-knobs: Xen booted by real GRUB from our grub.d helper got the knobs (run by tests/lab/grub-boot.sh).
# lab-timeout: 120
#
# grub-boot.sh sets XL_DOM0_MEM=1024M XL_DOM0_VCPUS=1 XL_DOM0_VCPUS_PIN=true
# XL_XEN_SERIAL=115200,8n1 in the defaults file; this checks each one
# arrived in Xen and took effect, with our xl and Debian's.
# At run time grub-boot.sh puts this file beside the lab's lib.sh.
# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"
plan 11

info=$($DEBXL info 2>&1)
cmdline=$(printf '%s\n' "$info" | sed -n 's/^xen_commandline *: //p')
diag "xen_commandline: $cmdline"
like "$($DEBXL dmesg 2>&1)" 'Bootloader: GRUB 2' "Xen was loaded by GRUB 2 (xl dmesg)"
like "$cmdline" '(^| )dom0_mem=1024M,max:1024M( |$)' "XL_DOM0_MEM -> dom0_mem=1024M,max:1024M"
like "$cmdline" '(^| )dom0_max_vcpus=1( |$)' "XL_DOM0_VCPUS -> dom0_max_vcpus=1"
like "$cmdline" '(^| )dom0_vcpus_pin( |$)' "XL_DOM0_VCPUS_PIN -> dom0_vcpus_pin"
like "$cmdline" '(^| )com1=115200,8n1 console=com1,vga( |$)' "XL_XEN_SERIAL -> com1=115200,8n1 console=com1,vga"
like "$cmdline" 'loglvl=all guest_loglvl=all$' "GRUB_CMDLINE_XEN_DEFAULT comes last on a normal entry"
like "$(cat /proc/cmdline)" 'init=/sbin/xlab-init' "dom0 kernel got GRUB_CMDLINE_LINUX through module2"

mem=$($DEBXL list Domain-0 | awk 'NR == 2 { print $3 }')
if [ -n "$mem" ] && [ "$mem" -ge 1000 ] && [ "$mem" -le 1024 ]; then
    pass "dom0 has ~1024 MiB ($mem)"
else
    fail "dom0 has ~1024 MiB (xl list says '$mem')"
fi

ours=$($XL vcpu-list Domain-0 2>&1)
diag "$ours"
is "$(printf '%s\n' "$ours" | awk 'NR > 1' | wc -l)" 1 "our vcpu-list: dom0 has exactly 1 vCPU"
is "$(printf '%s\n' "$ours" | awk 'NR == 2 { print $3, $7 }')" "0 0" \
    "our vcpu-list: vCPU 0 hard-pinned to pCPU 0"
# One vCPU pinned to pCPU 0: only its time and running/blocked state may
# change between the two xls' runs.
# shellcheck disable=SC2317 # called by xl_diff -n
norm_state() { norm_times | sed -E 's/   [r-][b-]-/   xx-/'; }
xl_diff -n norm_state vcpu-list Domain-0
done_testing
