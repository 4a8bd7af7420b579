#!/bin/bash
# TAP: `xl -N block-attach 0 ...` / `xl -N network-attach 0 ...` print the
# device JSON as Xen's xl does (cases from Xen's check-xl-disk-parse and
# check-xl-vif-parse), plus our default script, with no hypervisor.
#
# Each case is tests/xl/devices/NAME.args: line 1 the command, line 2 the
# expected exit status, then one argument per line; NAME.expected is the
# exact stdout (empty for failures, whose message goes to stderr).
# With --regen, writes the .expected files from the current xl (review
# the diff before committing).
set -uo pipefail
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${top_builddir:-.}
XL=$BUILD/xl/xl
DIR=$SRC/tests/xl/devices
# A fixed scripts directory, so the expected JSON does not depend on the
# configure prefix.
export XL_SCRIPTS_DIR=/usr/libexec/xl-toolstack/scripts
regen=false
[ "${1:-}" = --regen ] && regen=true

if [ ! -x "$XL" ]; then
    echo "1..0 # SKIP $XL not built"
    exit 0
fi

T=$(mktemp)
trap 'rm -f "$T"' EXIT
n=0
fails=0
for args in "$DIR"/*.args; do
    name=$(basename "$args" .args)
    mapfile -t lines <"$args"
    cmd=${lines[0]} want_rc=${lines[1]}
    out=$(
        "$XL" -N "$cmd" 0 "${lines[@]:2}" 2>"$T"
        echo "rc=$?"
    )
    rc=${out##*rc=}
    out=${out%rc=*}
    err=$(cat "$T")
    if $regen; then
        printf '%s' "$out" >"$DIR/$name.expected"
    fi
    n=$((n + 1))
    want=$(
        cat "$DIR/$name.expected" 2>/dev/null
        echo x
    )
    want=${want%x}
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ] &&
        { [ "$rc" = 0 ] || [ -n "$err" ]; }; then
        echo "ok $n - $cmd ${lines[*]:2}"
    else
        fails=$((fails + 1))
        echo "not ok $n - $cmd ${lines[*]:2}"
        echo "# exit $rc (want $want_rc)"
        diff -u <(printf '%s' "$want") <(printf '%s' "$out") | sed 's/^/#   /'
        [ -n "$err" ] && printf '%s\n' "$err" | head -n 5 | sed 's/^/# stderr: /'
    fi
done
echo "1..$n"
[ "$fails" = 0 ]
