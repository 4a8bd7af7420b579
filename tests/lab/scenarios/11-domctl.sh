#!/bin/bash
# 11-domctl: our pause/unpause/rename/shutdown/reboot/destroy on real
# guests (created by Debian's xl, so only our control side is tested),
# each checked against `xl list` state letters and xenstore.
# lab-timeout: 420
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

have_ours || skip_all "our xl is not built"

state() { # state NAME: the State column of Debian's `xl list NAME`
    $DEBXL list "$1" 2>/dev/null | awk 'NR == 2 {print $5}'
}

start_guest() { # start_guest NAME: create with Debian's xl, wait for the banner
    local cfg
    cfg=$(guest_cfg "$1" pv 'extra = "console=hvc0 xlab.stay=1"') &&
        $DEBXL create "$cfg" >"$XLAB_WORK/create-$1.log" 2>&1 &&
        wait_console "$1" "$GUEST_BANNER" 90
}

# --- refusals, before any guest
$XL destroy 0 >/dev/null 2>"$XLAB_WORK/err"
is "$?" 1 "destroy 0 without -f is refused (exit 1)"
like "$(cat "$XLAB_WORK/err")" "refusing to destroy domain 0" "and says why"
like "$(state Domain-0)" "r|b" "Domain-0 still runs"
$XL pause no-such-domain >/dev/null 2>"$XLAB_WORK/err"
is "$?" 1 "pause of a missing domain exits 1"
is "$(cat "$XLAB_WORK/err")" "xl: domain 'no-such-domain' not found" \
    "with one clear line"

# --- pause / unpause / rename on g11
if start_guest g11; then
    pass "guest g11 is up"
    id=$($DEBXL domid g11)
    ok "xl pause g11" "$XL" pause g11
    like "$(state g11)" '^..p' "g11 state shows p(aused)"
    ok "xl unpause g11" "$XL" unpause g11
    unlike "$(state g11)" '^..p' "g11 no longer paused"
    ok "xl pause by id" "$XL" pause "$id"
    like "$(state g11)" '^..p' "paused again (by domid)"
    ok "xl unpause by id" "$XL" unpause "$id"

    ok "xl rename g11 g11-renamed" "$XL" rename g11 g11-renamed
    is "$($DEBXL domid g11-renamed 2>/dev/null)" "$id" "Debian's xl sees the new name"
    is "$(xs_read "/local/domain/$id/name")" "g11-renamed" "xenstore has the new name"
    $XL rename g11-renamed Domain-0 >/dev/null 2>"$XLAB_WORK/err"
    is "$?" 1 "rename to an existing name is refused"
    like "$(cat "$XLAB_WORK/err")" "already exists" "and says so"
    ok "xl rename back" "$XL" rename g11-renamed g11

    # shutdown -w: returns once the guest has shut down; on_poweroff
    # destroy (Debian's monitor) then removes it.
    from=$(console_size g11)
    t0=$SECONDS
    ok "xl shutdown -w g11" timeout 120 "$XL" shutdown -w g11
    diag "shutdown -w took $((SECONDS - t0)) s"
    if wait_console g11 XLAB-SHUTDOWN-REQUEST 5 "$from"; then
        pass "the guest saw the shutdown request"
    else
        fail "the guest saw the shutdown request"
    fi
    if wait_gone g11 60; then pass "g11 is gone after shutdown"; else fail "g11 is gone after shutdown"; fi
    is "$(xs_read "/local/domain/$id/name")" "" "g11 left xenstore"
else
    fail "guest g11 is up"
    diag_file "$XLAB_WORK/create-g11.log"
fi

# --- shutdown -ww: returns only once the domain is gone
if start_guest g11w; then
    pass "guest g11w is up"
    ok "xl shutdown -ww g11w" timeout 120 "$XL" shutdown -ww g11w
    if domain_exists g11w; then fail "g11w already gone when -ww returns"; else pass "g11w already gone when -ww returns"; fi
else
    fail "guest g11w is up"
fi

# --- reboot -w: on_reboot=restart (Debian's monitor) brings it back
if start_guest g11r; then
    pass "guest g11r is up"
    old=$($DEBXL domid g11r)
    from=$(console_size g11r)
    ok "xl reboot -w g11r" timeout 120 "$XL" reboot -w g11r
    if wait_console g11r "$GUEST_BANNER" 90 "$from"; then
        pass "g11r booted again after reboot"
    else
        fail "g11r booted again after reboot"
    fi
    new=$($DEBXL domid g11r 2>/dev/null)
    isnt "$new" "$old" "g11r has a new domid after the restart ($old -> ${new:-none})"

    # destroy: gone at once, nothing left behind.
    id=$($DEBXL domid g11r)
    ok "xl destroy g11r" "$XL" destroy g11r
    if domain_exists g11r; then fail "g11r is gone right after destroy"; else pass "g11r is gone right after destroy"; fi
    is "$(xs_read "/local/domain/$id/name")" "" "g11r left xenstore"
    is "$(leftovers)" "" "no backend, loop or vif left behind"
else
    fail "guest g11r is up"
fi

# --- shutdown -a -w: every guest
if start_guest g11a && start_guest g11b; then
    pass "guests g11a and g11b are up"
    ok "xl shutdown -a -w" timeout 120 "$XL" shutdown -a -w
    if wait_gone g11a 60 && wait_gone g11b 60; then
        pass "both guests are gone"
    else
        fail "both guests are gone"
    fi
    like "$(state Domain-0)" "r|b" "Domain-0 was left alone"
else
    fail "guests g11a and g11b are up"
fi

cleanup_domains
done_testing
