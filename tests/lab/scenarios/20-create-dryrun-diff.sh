#!/bin/bash
# 20-create-dryrun-diff: our `xl create -n` prints the same JSON as Debian's
# for every pass config (tests/cfg/pass, shared as /mnt/host/cfg/pass when
# the lab shares it) and for the example configs in /etc/xen. Debian's
# output is kept in $XLAB_OUT/golden/ as the goldens of tests/cfg/json/
# (NAME.json, or NAME.rejected with its message when Debian's xl refuses
# it: then there is nothing to compare and the test is skipped). A
# NAME.deviation there lists the -/+ lines of a documented difference.
# lab-timeout: 300
. "$(dirname "$0")/lib.sh"

PASS_DIR=${XLAB_PASS_DIR:-/mnt/host/cfg/pass}
GOLD=$XLAB_OUT/golden
mkdir -p "$GOLD"

cfgs=()
for f in "$PASS_DIR"/*.cfg /etc/xen/dom01*.cfg; do
    [ -f "$f" ] && cfgs+=("$f")
done
[ ${#cfgs[@]} -gt 0 ] || skip_all "no configs found"
[ -d "$PASS_DIR" ] || diag "no $PASS_DIR: only the example configs are compared"
plan ${#cfgs[@]}

# A config without a uuid gets a random one from each xl: mask that line.
mask_uuid() { # mask_uuid CFG FILE
    if grep -Eq '^[[:space:]]*uuid[[:space:]]*=' "$1"; then
        cat "$2"
    else
        sed -E 's/^(        "uuid": )"[0-9a-f-]{36}"/\1"<random>"/' "$2"
    fi
}

for cfg in "${cfgs[@]}"; do
    name=$(basename "$cfg" .cfg)
    w=$XLAB_WORK/$name
    "$DEBXL" create -n "$cfg" >"$w.deb.json" 2>"$w.deb.err"
    rc_deb=$?
    "$XL" create -q -n "$cfg" >"$w.our.json" 2>"$w.our.err"
    rc_ours=$?
    if [ $rc_deb != 0 ]; then
        # No JSON to compare. Ours may accept it on purpose (the reference's
        # parser bugs are not copied: see docs, XL_REFERENCE.md).
        grep -v '^Parsing config from' "$w.deb.err" >"$GOLD/$name.rejected"
        skip "$name: create -n JSON identical to Debian's" \
            "Debian's xl rejects this config (exit $rc_deb); ours exits $rc_ours"
        diag_file "$w.deb.err" 3
        continue
    fi
    cp "$w.deb.json" "$GOLD/$name.json"
    if [ $rc_ours != 0 ]; then
        fail "$name: our xl create -n failed (exit $rc_ours)"
        diag_file "$w.our.err" 10
        continue
    fi
    mask_uuid "$cfg" "$w.deb.json" >"$w.deb.m"
    mask_uuid "$cfg" "$w.our.json" >"$w.our.m"
    dev=${PASS_DIR%/pass}/json/$name.deviation
    if cmp -s "$w.deb.m" "$w.our.m"; then
        pass "$name: create -n JSON identical to Debian's"
    elif [ -f "$dev" ] && diff -u "$w.deb.m" "$w.our.m" | grep -E '^[-+]' |
        grep -vE '^(---|\+\+\+) ' | cmp -s - <(grep -v '^#' "$dev"); then
        # a documented, deliberate difference (tests/cfg/json/NAME.deviation)
        pass "$name: create -n JSON as Debian's but for: $(head -n 1 "$dev" | cut -c3-)"
    else
        fail "$name: create -n JSON differs from Debian's"
        diff -u "$w.deb.m" "$w.our.m" | head -n 40 | sed 's/^/#   /'
    fi
done
done_testing
