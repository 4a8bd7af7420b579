#!/bin/bash
# 28-keys-json: every key of xl.cfg(5) against Debian's xl. Each
# tests/cfg/keys/KEY[-VARIANT].cfg (one small guest per key, shared as
# /mnt/host/cfg/keys) goes through Debian's and our `xl create -n`. A file
# passes when
#  - both print the same JSON (a random uuid masked), or
#  - they differ exactly by the -/+ lines of NAME.deviation (documented), or
#  - ours refuses it on purpose: NAME.refused holds our error line (the
#    file named without its directory) and ours fails with exactly it, or
#  - both refuse it.
# Debian's JSON is kept in $XLAB_OUT/keys-golden/. The last line is a diag
# with the counts.
# lab-timeout: 1500
. "$(dirname "$0")/lib.sh"

KEYS_DIR=${XLAB_KEYS_DIR:-/mnt/host/cfg/keys}
GOLD=$XLAB_OUT/keys-golden
mkdir -p "$GOLD"

[ -d "$KEYS_DIR" ] || skip_all "no $KEYS_DIR (tests/cfg/keys is not shared)"
cfgs=("$KEYS_DIR"/*.cfg)
[ -f "${cfgs[0]}" ] || skip_all "no configs in $KEYS_DIR"
plan ${#cfgs[@]}

# A config without a uuid gets a random one from each xl: mask that line.
mask_uuid() { # mask_uuid CFG FILE
    if grep -Eq '^[[:space:]]*uuid[[:space:]]*=' "$1"; then
        cat "$2"
    else
        sed -E 's/^(        "uuid": )"[0-9a-f-]{36}"/\1"<random>"/' "$2"
    fi
}

# Our first error line, the file named without its directory.
first_error() { # first_error ERRFILE
    grep -m 1 ': error: ' "$1" | sed "s|^$KEYS_DIR/||"
}

n=0 same=0 deviations=0 refused=0 both=0
for cfg in "${cfgs[@]}"; do
    name=$(basename "$cfg" .cfg)
    w=$XLAB_WORK/key-$name
    n=$((n + 1))
    # Both at once: under TCG each takes a second or two.
    "$DEBXL" create -n "$cfg" >"$w.deb.json" 2>"$w.deb.err" &
    deb_pid=$!
    "$XL" create -q -n "$cfg" >"$w.our.json" 2>"$w.our.err"
    rc_ours=$?
    wait "$deb_pid"
    rc_deb=$?
    [ $rc_deb = 0 ] && cp "$w.deb.json" "$GOLD/$name.json"
    want=${cfg%.cfg}.refused
    if [ -f "$want" ]; then
        got=$(first_error "$w.our.err")
        if [ $rc_ours != 0 ] && [ "$got" = "$(head -n 1 "$want")" ]; then
            refused=$((refused + 1))
            pass "$name: refused by ours with its reason (Debian's exit $rc_deb)"
        else
            fail "$name: ours should refuse it with: $(head -n 1 "$want")"
            diag "ours: exit $rc_ours: $got"
            diag_file "$w.our.err" 5
        fi
        continue
    fi
    if [ $rc_ours != 0 ] && [ $rc_deb != 0 ]; then
        both=$((both + 1))
        pass "$name: refused by both"
        diag_file "$w.deb.err" 2
        diag_file "$w.our.err" 2
        continue
    fi
    if [ $rc_ours != 0 ] || [ $rc_deb != 0 ]; then
        fail "$name: exit status differs: Debian's $rc_deb, ours $rc_ours"
        diag_file "$w.deb.err" 5
        diag_file "$w.our.err" 5
        continue
    fi
    mask_uuid "$cfg" "$w.deb.json" >"$w.deb.m"
    mask_uuid "$cfg" "$w.our.json" >"$w.our.m"
    dev=${cfg%.cfg}.deviation
    if cmp -s "$w.deb.m" "$w.our.m"; then
        same=$((same + 1))
        pass "$name: create -n JSON identical to Debian's"
    elif [ -f "$dev" ] && diff -u "$w.deb.m" "$w.our.m" | grep -E '^[-+]' |
        grep -vE '^(---|\+\+\+) ' | cmp -s - <(grep -v '^#' "$dev"); then
        deviations=$((deviations + 1))
        pass "$name: create -n JSON as Debian's but for: $(head -n 1 "$dev" | cut -c3-)"
    else
        fail "$name: create -n JSON differs from Debian's"
        diff -u "$w.deb.m" "$w.our.m" | head -n 40 | sed 's/^/#   /'
    fi
done
diag "keys: $n configs, $same identical, $deviations deviations," \
    "$refused refused with reason, $both refused by both"
done_testing
