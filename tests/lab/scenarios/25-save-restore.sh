#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 25-save-restore: xl save and restore of a running PV guest with our xl,
# and across toolstacks (saved by ours, restored by Debian's, and the
# reverse); the restored guest runs under its name, answers a shutdown
# request on its console, and its monitor applies on_poweroff. save -c
# keeps the guest; missing, garbage and truncated checkpoint files and a
# name already in use are refused with nothing left behind. A restored
# guest that reboots is rebuilt by its monitor as create's would be (from
# the kernel cache); a restore whose vif hotplug script fails says so in
# the script's words.
# lab-timeout: 900
. "$(dirname "$0")/lib.sh"
plan 63

STAY='extra = "console=hvc0 loglevel=4 xlab.stay=1"'

state() { # state NAME: the State column of Debian's xl list
    "$DEBXL" list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'
}

ndomains() { "$DEBXL" list 2>/dev/null | awk 'NR > 1' | wc -l; }

# up NAME XLBIN [LINE...]: create NAME (stays up; LINEs added to its
# config) with XLBIN, wait for its init
up() {
    local cfg
    cfg=$(guest_cfg "$1" pv "$STAY" "${@:3}")
    if "$2" create -q "$cfg" >"$XLAB_OUT/create-$1.txt" 2>&1 &&
        wait_console "$1" XLAB-STAYING-UP 120; then
        pass "$1 is created by $2 and up"
    else
        fail "$1 is created by $2 and up"
        diag_file "$XLAB_OUT/create-$1.txt"
    fi
}

# reborn NAME OLD: NAME runs under another domid than OLD (for wait_for)
# shellcheck disable=SC2317 # called through wait_for
reborn() {
    local d
    d=$($DEBXL domid "$1" 2>/dev/null) && [ "$d" != "$2" ]
}

# running NAME DESC: the domain exists and is neither paused nor shut down
running() {
    local s
    s=$(state "$1")
    like "$s" '^[r-][b-]----$' "$2 (state '$s')"
}

# alive NAME WHO: a shutdown request reaches the guest (its init logs it
# on the console after the restore), and the monitor of the restored
# domain destroys it (on_poweroff = destroy): no monitor, no destroy.
alive() {
    local from
    from=$(console_size "$1")
    ok "$1: shutdown -w of the restored guest" timeout "$(secs 120)" "$XL" shutdown -w "$1"
    wait_console "$1" XLAB-SHUTDOWN-REQUEST 60 "$from" &&
        pass "$1: the restored guest answers on its console" ||
        fail "$1: the restored guest answers on its console"
    wait_gone "$1" 60 && pass "$1: the monitor of $2 destroys it at poweroff" ||
        fail "$1: the monitor of $2 destroys it at poweroff"
}

save=$XLAB_WORK/s25.save

# ---- ours -> ours
up s25 "$XL"
old=$($DEBXL domid s25 2>/dev/null)
ok "our xl saves s25" "$XL" save s25 "$save"
wait_gone s25 30 && pass "the saved guest is gone" || fail "the saved guest is gone"
is "$(head -c 27 "$save")" "Xen saved domain, xl format" "the file starts with xl's magic"
is "$(od -An -tx1 -j 32 -N 8 "$save" | tr -d ' ')" "0403020103000000" \
    "byte order mark and flags (JSON config, stream v2) as the reference's"
like "$(tail -c +53 "$save" | head -c 4096 | tr -d '\0')" '"name": "s25"' \
    "the config is stored as libxl JSON"
# a truncated copy, for the error cases below
head -c 300000 "$save" >"$XLAB_WORK/trunc.save"
ok "our xl restores s25" "$XL" restore "$save"
running s25 "the restored s25 runs"
isnt "$($DEBXL domid s25 2>/dev/null)" "$old" "it is a new domain (was $old)"
like "$($XL list -l s25 2>/dev/null | tr -d '\n')" '"name": "s25"' "our xl list -l sees its config"
alive s25 "our restore"

# ---- errors: nothing is built
before=$(ndomains)
out=$($XL restore "$XLAB_WORK/nonexistent.save" 2>&1)
is "$?" 1 "missing checkpoint file: exit 1"
like "$out" "cannot open checkpoint file .*nonexistent.save" "missing file: the message names it"
head -c 8192 /dev/urandom >"$XLAB_WORK/garbage.save"
out=$($XL restore "$XLAB_WORK/garbage.save" 2>&1)
is "$?" 1 "garbage checkpoint file: exit 1"
like "$out" "not an xl save file" "garbage file: the message says what is wrong"
out=$($XL restore "$XLAB_WORK/trunc.save" 2>&1)
is "$?" 1 "truncated checkpoint file: exit 1"
diag "truncated: $(printf '%s' "$out" | tail -n 1)"
like "$out" "cannot restore domain 's25'" "truncated file: the message names the domain"
wait_gone s25 30 && pass "truncated file: no domain left" || fail "truncated file: no domain left"
is "$(ndomains)" "$before" "no domain was left by the failed restores"
is "$(leftovers)" "" "no backend, loop device or vif left behind"
out=$($XL save nosuch25 "$XLAB_WORK/x.save" 2>&1)
is "$?" 1 "save of an unknown domain: exit 1"
like "$out" "nosuch25.*not found" "save of an unknown domain: the message names it"
[ ! -e "$XLAB_WORK/x.save" ] && pass "no file is written for an unknown domain" ||
    fail "no file is written for an unknown domain"

# ---- save -c keeps the guest; restoring it beside itself is refused
up c25 "$XL"
cdom=$($DEBXL domid c25 2>/dev/null)
ok "save -c (checkpoint)" "$XL" save -c c25 "$XLAB_WORK/c25.save"
running c25 "c25 keeps running after save -c"
is "$($DEBXL domid c25 2>/dev/null)" "$cdom" "c25 keeps its domid"
before=$(ndomains)
out=$($XL restore "$XLAB_WORK/c25.save" 2>&1)
is "$?" 1 "restore while c25 exists: exit 1"
like "$out" "already exists" "restore while c25 exists: the message says why"
is "$(ndomains)" "$before" "restore while c25 exists: nothing built"
$XL destroy c25 >/dev/null 2>&1
wait_gone c25 30
ok "the checkpoint restores once the name is free" "$XL" restore "$XLAB_WORK/c25.save"
running c25 "the restored checkpoint runs"
$XL destroy c25 >/dev/null 2>&1
wait_gone c25 30
rm -f "$XLAB_WORK/c25.save" "$XLAB_WORK/trunc.save"

# ---- saved by ours, restored by Debian's
up o25 "$XL"
ok "our xl saves o25" "$XL" save o25 "$save"
ok "Debian's xl restores our file" "$DEBXL" restore "$save"
running o25 "o25 runs under Debian's restore"
alive o25 "Debian's restore"
rm -f "$save"

# ---- saved by Debian's, restored by ours
up d25 "$DEBXL"
ok "Debian's xl saves d25" "$DEBXL" save d25 "$save"
wait_gone d25 30
ok "our xl restores Debian's file" "$XL" restore "$save"
running d25 "d25 runs under our restore"
alive d25 "our restore"
rm -f "$save"

# ---- a restored guest that reboots is rebuilt by its monitor as a created
# one is: through the kernel cache (-v: the monitor logs its notes)
up b25 "$XL"
ok "our xl saves b25" "$XL" save b25 "$save"
wait_gone b25 30
mlog=/var/log/xen/xl-b25.log
rm -f "$mlog"
ok "our xl -v restores b25" "$XL" -v restore "$save"
old=$($DEBXL domid b25 2>/dev/null)
from=$(console_size b25)
ok "xl reboot of the restored b25" "$XL" reboot b25
wait_for 120 reborn b25 "$old" &&
    pass "on_reboot=restart: the restored b25 came back as a new domain" ||
    fail "on_reboot=restart: the restored b25 came back as a new domain"
wait_console b25 XLAB-STAYING-UP 120 "$from" &&
    pass "the rebuilt b25 boots again" || fail "the rebuilt b25 boots again"
running b25 "the rebuilt b25 runs"
log=$(cat "$mlog" 2>/dev/null)
like "$log" "destroying domain $old before restarting it" \
    "the monitor log shows the restart"
like "$log" "kernel cache: cache (hit|miss)" \
    "the monitor's rebuild went through the kernel cache"
[ -n "$log" ] || diag "no $mlog"
printf '%s\n' "$log" | grep -i "kernel cache\|restart\|error" | tail -n 5 |
    sed 's/^/# /'
$XL destroy b25 >/dev/null 2>&1
wait_gone b25 30
rm -f "$save"

# ---- a restore whose vif hotplug script fails (the guest's bridge is gone)
ip link add name br25 type bridge && ip link set br25 up
up v25 "$XL" "vif = [ 'bridge=br25' ]"
ok "our xl saves v25 (vif on br25)" "$XL" save v25 "$save"
wait_gone v25 30
ip link del br25
out=$(timeout "$(secs 120)" "$XL" restore "$save" 2>&1)
isnt "$?" 0 "restore without v25's bridge fails"
like "$out" "cannot restore domain 'v25': hotplug script failed: .*bridge br25 does not exist" \
    "the message carries vif-bridge's own words"
diag "our xl said: $(printf '%s' "$out" | tail -n 3)"
wait_gone v25 30 && pass "no domain v25 remains" || fail "no domain v25 remains"
is "$(wait_clean 30)" "" "no backend, loop device or vif left behind (v25)"
rm -f "$save"
done_testing
