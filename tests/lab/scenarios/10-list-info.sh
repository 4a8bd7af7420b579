#!/bin/bash
# 10-list-info: our list/info/domid/domname/uptime/dmesg/vm-list against
# Debian's xl on the real hypervisor, idle and with a guest running.
# lab-timeout: 240
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# Blank what changes between two runs a moment apart: CPU times (12.3),
# clock times and uptimes (1:02, 1:02:03).
# shellcheck disable=SC2317 # called through xl_diff -n
norm_clock() {
    sed -E 's/[0-9]+\.[0-9]+/T/g; s/[0-9]+:[0-9]{2}(:[0-9]{2})?/U/g'
}

have_ours || skip_all "our xl is not built"

# --- dom0 only
xl_diff -n norm_times list
xl_diff -n norm_times list -v
xl_diff -n norm_times list -Z
xl_diff -n norm_times list -c
xl_diff -n norm_times list -n
xl_diff -n norm_times list Domain-0
xl_diff -n norm_times -m "xl list 0 (by id) matches Debian's" list 0
xl_diff -m "xl list no-such-domain fails like Debian's" list no-such-domain
xl_diff -n norm_times info
xl_diff -n norm_times info -n
xl_diff info xen_version
xl_diff info free_memory
xl_diff domid Domain-0
xl_diff domname 0
xl_diff -m "xl domid no-such-domain fails like Debian's" domid no-such-domain
xl_diff -n norm_clock uptime
xl_diff -n norm_clock uptime -s
xl_diff -n norm_clock uptime Domain-0
xl_diff vm-list
xl_diff -m "xl dmesg prints the hypervisor's buffer as Debian's" dmesg

# Ours only: -v info names the hotplug scripts directory, which exists.
line=$($XL -v info | grep '^xl_toolstack_scripts')
like "$line" '^xl_toolstack_scripts +: /' "xl -v info names our scripts dir"
dir=${line#*: }
ok "the scripts dir $dir exists" test -d "$dir"
unlike "$($XL info)" 'xl_toolstack_scripts' "plain xl info has no extra line"
x=$($XL info -x)
like "$x" '^xen_major' "info -x starts with xen_major"
unlike "$x" '^(host|nr_cpus|total_memory)' "info -x has only hypervisor fields"

# --- with a guest (made by Debian's xl, so only our read side is tested)
cfg=$(guest_cfg g10 pv 'extra = "console=hvc0 xlab.stay=1"')
if ok "Debian's xl creates guest g10" "$DEBXL" create "$cfg" &&
    wait_console g10 "$GUEST_BANNER" 90; then
    pass "g10 is up"
    id=$($DEBXL domid g10)
    xl_diff -n norm_live -m "xl list with a guest matches Debian's" list
    xl_diff -n norm_live list g10
    xl_diff -n norm_live list -v
    xl_diff -m "xl list -l (JSON of stored configs) matches Debian's" list -l
    xl_diff -m "xl list -l g10 matches Debian's" list -l g10
    xl_diff -m "xl vm-list with a guest matches Debian's" vm-list
    xl_diff domid g10
    xl_diff domname "$id"
    xl_diff -n norm_clock -m "xl uptime with a guest matches Debian's" uptime
    xl_diff -n norm_clock uptime g10
    # list -l is well-formed JSON with domid and config.name.
    if command -v python3 >/dev/null; then
        ok "list -l is a JSON array of {domid, config}" python3 -c '
import json, subprocess, sys
d = json.loads(subprocess.run([sys.argv[1], "list", "-l"],
               capture_output=True, check=True).stdout)
assert any(x["domid"] == int(sys.argv[2]) and
           x["config"]["c_info"]["name"] == "g10" for x in d), d' \
            "$XL" "$id"
    fi
else
    fail "g10 is up"
    diag_file "$(console_log g10)"
fi
cleanup_domains

# dmesg -c clears: Debian's xl then sees a shorter buffer.
before=$($DEBXL dmesg | wc -l)
ok "xl dmesg -c" "$XL" dmesg -c
after=$($DEBXL dmesg | wc -l)
if [ "$after" -lt "$before" ]; then
    pass "dmesg -c cleared the buffer ($before -> $after lines)"
else
    fail "dmesg -c cleared the buffer ($before -> $after lines)"
fi

# Errors: one clear line, exit 1.
$XL domname 4000 >/dev/null 2>"$XLAB_WORK/err"
is "$?" 1 "domname of a missing id exits 1"
like "$(cat "$XLAB_WORK/err")" "^xl: domain 4000 not found$" "and says so in one line"
done_testing
