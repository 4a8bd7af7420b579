#!/bin/sh
# create-dryrun.sh: our `xl create -n` prints, byte for byte, the JSON that
# Debian's xl 4.17 printed for each tests/cfg/pass config (goldens in
# tests/cfg/json/, made in the lab by scenario 20-create-dryrun-diff).
#
# A config without a uuid gets a random one from both xls, so that one
# line is masked. NAME.rejected instead of NAME.json records that Debian's
# xl refused the config (its message is in the file): nothing to compare.
# NAME.deviation lists the exact -/+ JSON lines of a documented, deliberate
# difference (first line: a comment saying why); anything else differing
# still fails.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
XL=${XL:-$builddir/xl/xl}
pass_dir=$srcdir/tests/cfg/pass
json_dir=$srcdir/tests/cfg/json
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

mask_uuid() { # mask_uuid CFG FILE: blank c_info's uuid unless CFG sets one
    if grep -Eq '^[[:space:]]*uuid[[:space:]]*=' "$1"; then
        cat "$2"
    else
        sed -E 's/^(        "uuid": )"[0-9a-f-]{36}"/\1"<random>"/' "$2"
    fi
}

set -- "$pass_dir"/*.cfg
if [ ! -e "$1" ]; then
    echo "1..0 # SKIP no configs in tests/cfg/pass"
    exit 0
fi
echo "1..$#"
n=0
for cfg in "$@"; do
    n=$((n + 1))
    name=$(basename "$cfg" .cfg)
    golden=$json_dir/$name.json
    if [ -f "$json_dir/$name.rejected" ]; then
        # Nothing to compare: Debian's xl refused it (often one of its
        # parser bugs, which ours does not copy).
        echo "ok $n - $name # SKIP Debian's xl rejects this config: $(head -n 1 "$json_dir/$name.rejected")"
        continue
    fi
    if [ ! -f "$golden" ]; then
        echo "not ok $n - $name: no golden $golden (run lab scenario 20)"
        continue
    fi
    if ! "$XL" create -q -n "$cfg" >"$tmp/out" 2>"$tmp/err"; then
        echo "not ok $n - $name: our xl create -n failed"
        sed 's/^/#   /' "$tmp/err"
        continue
    fi
    mask_uuid "$cfg" "$tmp/out" >"$tmp/ours"
    mask_uuid "$cfg" "$golden" >"$tmp/gold"
    if cmp -s "$tmp/ours" "$tmp/gold"; then
        echo "ok $n - $name: create -n JSON identical to Debian's"
    elif [ -f "$json_dir/$name.deviation" ] &&
        diff -u "$tmp/gold" "$tmp/ours" | grep -E '^[-+]' |
        grep -vE '^(---|\+\+\+) ' >"$tmp/dev" &&
        grep -v '^#' "$json_dir/$name.deviation" | cmp -s - "$tmp/dev"; then
        echo "ok $n - $name: create -n JSON as Debian's but for the documented deviation: $(head -n 1 "$json_dir/$name.deviation" | cut -c3-)"
    else
        echo "not ok $n - $name: create -n JSON differs from Debian's"
        diff -u "$tmp/gold" "$tmp/ours" | head -n 40 | sed 's/^/#   /'
    fi
done
