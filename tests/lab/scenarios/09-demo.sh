#!/bin/bash
# 09-demo: the README's demo, `xl create -c /etc/xen/dom01.cfg` by our xl, shows the guest's banner.
# lab-timeout: 180
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 4

cfg=/etc/xen/dom01.cfg
if ! has_command "$XL" create; then
    for t in "our xl create -c dom01 exits 0" "the guest's banner is on the console" \
        "dom01 is gone after its poweroff" "nothing is left behind"; do
        skip "$t" "our xl has no 'create' yet (xl help)"
    done
    done_testing
fi

ts=$XLAB_OUT/dom01.typescript
run_tty -t 150 "$ts" "$XL" create -c "$cfg"
is "$?" 0 "our xl create -c dom01 exits 0"
like "$(tr -d '\r' <"$ts")" "$GUEST_BANNER" "the guest's banner is on the console"
ok "dom01 is gone after its poweroff" wait_gone dom01 30
left=$(wait_clean 10)
is "$left" "" "nothing is left behind"
done_testing
