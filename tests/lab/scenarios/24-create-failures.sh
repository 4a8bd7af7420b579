#!/bin/bash
# shellcheck disable=SC2015 # pass/fail always succeed
# 24-create-failures: a create that fails says why in one message and
# leaves nothing behind (no domain, backend, loop device or vif); of two
# concurrent creates of one name exactly one wins.
# lab-timeout: 300
. "$(dirname "$0")/lib.sh"
plan 10

before=$(leftovers)

cfg=$(guest_cfg k24 pv 'kernel = "/nonexistent/vmlinuz"')
out=$($XL create "$cfg" 2>&1)
rc=$?
isnt "$rc" 0 "missing kernel: create fails"
like "$out" "k24" "missing kernel: the message names the domain"
domain_exists k24 && fail "missing kernel: no domain left" || pass "missing kernel: no domain left"

cfg=$(guest_cfg b24 pv "disk = [ 'file:/nonexistent/disk.img,xvda,w' ]")
out=$($XL create "$cfg" 2>&1)
rc=$?
isnt "$rc" 0 "bad disk path: create fails"
like "$out" "nonexistent/disk.img|hotplug" "bad disk path: the message says which disk/script failed"
diag "message: $(printf '%s' "$out" | tail -n 1)"
wait_gone b24 20 && pass "bad disk path: no domain left" || fail "bad disk path: no domain left"
is "$(leftovers)" "$before" "no backend, loop device or vif left behind"

# Two creates of one name at once: the xl lock and the name check let
# exactly one through.
cfg=$(guest_cfg n24 pv 'extra = "console=hvc0 loglevel=4 xlab.stay=1"')
$XL create -q "$cfg" >"$XLAB_WORK/n1.out" 2>&1 &
p1=$!
$XL create -q "$cfg" >"$XLAB_WORK/n2.out" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
wins=0
[ $r1 = 0 ] && wins=$((wins + 1))
[ $r2 = 0 ] && wins=$((wins + 1))
is "$wins" 1 "concurrent creates of n24: exactly one wins"
like "$(cat "$XLAB_WORK/n1.out" "$XLAB_WORK/n2.out")" \
    "cannot create domain 'n24': a domain with this name already exists \\(domid [0-9]+\\)" \
    "the loser says the name is taken, and by which domain"
is "$($DEBXL list | awk '$1 == "n24"' | wc -l)" 1 "exactly one n24 domain exists"
$XL destroy n24 >/dev/null 2>&1
done_testing
