#!/bin/bash
# TAP: every case of tests/xl/attach-parse.cases (disk and vif specs as
# `xl -N block-attach 0 ...` / `xl -N network-attach 0 ...` take them, as
# Xen 4.17.7's xl) against our xl: exit status, the exact stdout, and the
# stderr lines a case names. No hypervisor needed.
#
# Usage: attach-parse.sh [CASES-FILE]
set -uo pipefail
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${top_builddir:-.}
XL=$BUILD/xl/xl
CASES=${1:-$SRC/tests/xl/attach-parse.cases}
# The table's script lines name this directory.
export XL_SCRIPTS_DIR=/usr/libexec/xl-toolstack/scripts

if [ ! -x "$XL" ]; then
    echo "1..0 # SKIP $XL not built"
    exit 0
fi
if [ ! -r "$CASES" ]; then
    echo "1..0 # SKIP no $CASES"
    exit 0
fi

ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT
n=0
fails=0
name="" cmd="" want_rc="" want_out="" args=() errs=()

# Runs the case gathered so far and prints its TAP line.
run_case() {
    local out rc why=() e
    [ -n "$name" ] || return 0
    n=$((n + 1))
    out=$(
        "$XL" -N "$cmd" 0 "${args[@]}" 2>"$ERR"
        echo "rc=$?"
    )
    rc=${out##*rc=}
    out=${out%rc=*}
    [ "$rc" = "$want_rc" ] || why+=("exit $rc, want $want_rc")
    [ "$out" = "$want_out" ] || why+=("stdout differs")
    if [ "$rc" != 0 ] && [ ! -s "$ERR" ]; then
        why+=("failed without a message")
    fi
    for e in "${errs[@]}"; do
        grep -qxF -- "$e" "$ERR" || why+=("no stderr line: $e")
    done
    if [ ${#why[@]} = 0 ]; then
        echo "ok $n - $name"
    else
        fails=$((fails + 1))
        echo "not ok $n - $name: $cmd${args[*]+$(printf ' %q' "${args[@]}")}"
        printf '# %s\n' "${why[@]}"
        diff -u <(printf '%s' "$want_out") <(printf '%s' "$out") |
            sed 's/^/#   /'
        sed 's/^/# stderr: /' "$ERR" | head -n 8
    fi
}

while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    "== "*)
        run_case
        read -r _ name cmd want_rc <<<"$line"
        want_out="" args=() errs=()
        ;;
    arg) args+=("") ;;
    "arg "*) args+=("${line#arg }") ;;
    "|"*) want_out+="${line#|}"$'\n' ;;
    "stderr "*) errs+=("${line#stderr }") ;;
    "debian-refuses "* | "debian-accepts "*) ;; # for the lab only
    "#"* | "") ;;
    *)
        echo "Bail out! $CASES: cannot read '$line'"
        exit 1
        ;;
    esac
done <"$CASES"
run_case
echo "1..$n"
[ "$fails" = 0 ]
