#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# shellcheck disable=SC2016 # the wrappers' "$1" and "$@" are theirs
# 26-migrate: localhost live migration with xl migrate -s WRAPPER, where
# the wrapper drops HOST and runs the receiver (a real transport: the
# stream, the banner and the ready/go/report handshake cross two pipes).
# Ours -> ours, ours -> Debian's migrate-receive, Debian's -> ours: the
# domain ends up running under its name, the source copy gone, no
# --incoming/--migratedaway names left, and the receiver's monitor applies
# on_poweroff. Failures: a receiver that cannot start, and one that
# refuses the domain (NAME--incoming taken): its reason is shown, the
# migration exits 1 and the domain keeps running at the source.
# The guest is PVH: live migration needs log-dirty mode, which Xen gives
# a PV guest only with shadow paging, and Debian's Xen is built without
# it (PV live migration fails there with either xl: "Failed to enable
# logdirty"); PVH guests use HAP's log-dirty.
# lab-timeout: 900
. "$(dirname "$0")/lib.sh"
plan 36

STAY='extra = "console=hvc0 loglevel=4 xlab.stay=1"'
W=$XLAB_WORK/bin
mkdir -p "$W"
# lab-ssh HOST xl ARGS...: our receiver; deb-ssh: Debian's. The words
# arrive as argv (xl migrate runs no shell), Debian's xl via sh -c.
printf '#!/bin/sh\nshift\n[ "$1" = xl ] && shift\nexec %s "$@"\n' "$XL" >"$W/lab-ssh"
printf '#!/bin/sh\nshift\n[ "$1" = xl ] && shift\nexec %s "$@"\n' "$DEBXL" >"$W/deb-ssh"
printf '#!/bin/sh\necho "lab-ssh: connect to host $1: no route to host" >&2\nexit 255\n' >"$W/bad-ssh"
chmod +x "$W/lab-ssh" "$W/deb-ssh" "$W/bad-ssh"

state() { "$DEBXL" list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }

running() { # running NAME DESC: exists, neither paused nor shut down
    local s
    s=$(state "$1")
    like "$s" '^[r-][b-]----$' "$2 (state '$s')"
}

# migrated NAME OLD_DOMID WHO: after a successful migration
migrated() {
    local now
    now=$($DEBXL domid "$1" 2>/dev/null)
    running "$1" "$3: $1 runs under its name"
    isnt "$now" "$2" "$3: $1 is a new domain (was $2, now ${now:-none})"
    domain_exists "$1--incoming" && fail "$3: no $1--incoming left" ||
        pass "$3: no $1--incoming left"
    domain_exists "$1--migratedaway" && fail "$3: the source copy is gone" ||
        pass "$3: the source copy is gone"
}

# console_since NAME FROM MARKER: MARKER in NAME's console after byte
# FROM, or in the log xenconsoled opened under the incoming name
# shellcheck disable=SC2317 # called through wait_for
console_since() {
    tail -c +"$(($2 + 1))" "$(console_log "$1")" 2>/dev/null | grep -aqF -- "$3" ||
        grep -aqF -- "$3" "$(console_log "$1--incoming")" 2>/dev/null
}

cfg=$(guest_cfg m26 pvh "$STAY")
if $XL create -q "$cfg" >"$XLAB_OUT/create.txt" 2>&1 &&
    wait_console m26 XLAB-STAYING-UP 120; then
    pass "m26 is created by our xl and up"
else
    fail "m26 is created by our xl and up"
    diag_file "$XLAB_OUT/create.txt"
fi
dom=$($DEBXL domid m26 2>/dev/null)

# ---- a receiver that cannot start: nothing happens to the domain
out=$($XL migrate -s "$W/bad-ssh" m26 far.example 2>&1)
is "$?" 1 "unreachable host: migrate exits 1"
like "$out" "no route to host" "unreachable host: the transport's reason is shown"
diag "$(printf '%s' "$out" | tail -n 1)"
is "$($DEBXL domid m26 2>/dev/null)" "$dom" "unreachable host: m26 keeps its domid"
running m26 "unreachable host: m26 keeps running"

# ---- a receiver that refuses the domain after the header
dcfg=$(guest_cfg m26--incoming pvh "$STAY")
$XL create -q -p "$dcfg" >/dev/null 2>&1
out=$(timeout "$(secs 300)" "$XL" migrate -s "$W/lab-ssh" m26 localhost 2>&1)
is "$?" 1 "receiver refuses: migrate exits 1"
like "$out" "already exists" "receiver refuses: its reason is shown"
like "$out" "keeps running here" "receiver refuses: the sender says the domain keeps running"
diag "$(printf '%s' "$out" | tail -n 2)"
is "$($DEBXL domid m26 2>/dev/null)" "$dom" "receiver refuses: m26 keeps its domid"
running m26 "receiver refuses: m26 runs at the source"
like "$(state m26--incoming)" "p" "receiver refuses: the other domain is untouched"
$XL destroy m26--incoming >/dev/null 2>&1
wait_gone m26--incoming 30

# ---- a receiver that fails after taking the whole stream (its config,
# sent with -C, has a vif on a bridge that does not exist): the domain was
# suspended at the source for the final copy and must be resumed there
bcfg=$(guest_cfg m26bad pvh "$STAY" "vif = [ 'mac=00:16:3e:26:00:01,bridge=nosuchbr26' ]")
sed -i 's/^name = .*/name = "m26"/' "$bcfg"
out=$(timeout "$(secs 300)" "$XL" migrate -C "$bcfg" -s "$W/lab-ssh" m26 localhost 2>&1)
is "$?" 1 "receiver fails late: migrate exits 1"
like "$out" "nosuchbr26" "receiver fails late: its reason (the missing bridge) is shown"
like "$out" "suspended domain was resumed here" "receiver fails late: the sender resumed the suspended domain"
diag "$(printf '%s' "$out" | grep -E 'suspend|xl:' | tail -n 4)"
is "$($DEBXL domid m26 2>/dev/null)" "$dom" "receiver fails late: m26 keeps its domid"
running m26 "receiver fails late: m26 runs again at the source"
domain_exists m26--incoming && fail "receiver fails late: the target's copy is gone" ||
    pass "receiver fails late: the target's copy is gone"
# (that the resumed guest really runs is shown below: it answers the
# suspend request of the next migration and, at the end, a shutdown)

# ---- ours -> ours
ok "ours -> ours: migrate m26 localhost" timeout "$(secs 300)" "$XL" migrate -s "$W/lab-ssh" m26 localhost
migrated m26 "$dom" "ours -> ours"
dom=$($DEBXL domid m26 2>/dev/null)

# ---- ours -> Debian's receiver
ok "ours -> Debian's: migrate m26 localhost" timeout "$(secs 300)" "$XL" migrate -s "$W/deb-ssh" m26 localhost
migrated m26 "$dom" "ours -> Debian's"
dom=$($DEBXL domid m26 2>/dev/null)

# ---- Debian's sender -> our receiver (it runs `exec WRAPPER HOST xl
# migrate-receive` through sh)
ok "Debian's -> ours: migrate m26 localhost" timeout "$(secs 300)" "$DEBXL" migrate -s "$W/lab-ssh" m26 localhost
migrated m26 "$dom" "Debian's -> ours"

# ---- the guest lives, and our receiver's monitor applies on_poweroff
from=$(console_size m26)
ok "shutdown -w of the migrated guest" timeout "$(secs 120)" "$XL" shutdown -w m26
wait_for 60 console_since m26 "$from" XLAB-SHUTDOWN-REQUEST &&
    pass "the migrated guest answers on its console" ||
    fail "the migrated guest answers on its console"
wait_gone m26 60 && pass "our receiver's monitor destroys it at poweroff" ||
    fail "our receiver's monitor destroys it at poweroff"
is "$(leftovers)" "" "no backend, loop device or vif left behind"
done_testing
