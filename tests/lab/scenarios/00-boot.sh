#!/bin/bash
# 00-boot: Xen is up, dom0 has a working toolstack (Debian's xl), HAP is usable.
# lab-timeout: 60
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 6

info=$("$DEBXL" info 2>&1)
ok "Debian's xl info works" "$DEBXL" info
like "$info" '^xen_version +: 4\.17' "hypervisor is Xen 4.17"
like "$info" '^virt_caps +:.*\bhvm\b' "virt_caps has hvm (SVM+NPT exposed by QEMU)"
like "$info" '^virt_caps +:.*\bhap\b' "virt_caps has hap (PVH/HVM guests possible)"
like "$(cat /proc/xen/capabilities 2>/dev/null)" 'control_d' "this kernel is dom0 (control_d)"
like "$("$DEBXL" list 2>&1)" '^Domain-0 +0 ' "Domain-0 is listed"
done_testing
