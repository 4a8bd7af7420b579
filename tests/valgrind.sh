#!/bin/bash
# TAP: run xl's no-hypervisor paths under valgrind (memcheck): every
# config of the golden corpus through check-config and create -n, plus
# help and usage errors. A memory error or a definite leak fails the case.
# usage: tests/valgrind.sh PATH/TO/xl   (a build without sanitizers)
set -uo pipefail
XL=${1:?usage: valgrind.sh XL}
SRC=$(cd "$(dirname "$0")/.." && pwd)
VG=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite --show-leak-kinds=definite)
n=0
check() { # check DESCRIPTION CMD... : ok unless valgrind reported errors
    local desc=$1 rc
    shift
    n=$((n + 1))
    "${VG[@]}" "$@" >/tmp/vg.$$ 2>&1
    rc=$?
    if [ "$rc" -eq 99 ]; then
        echo "not ok $n - $desc"
        sed 's/^/# /' /tmp/vg.$$ | head -n 30
    else
        echo "ok $n - $desc (exit $rc)"
    fi
}
if ! command -v valgrind >/dev/null; then
    echo "1..0 # SKIP valgrind not installed"
    exit 0
fi
if ldd "$XL" 2>/dev/null | grep -q 'libasan'; then
    echo "1..0 # SKIP $XL is built with ASan"
    exit 0
fi
has_cmd() { "$XL" help 2>/dev/null | grep -qE "^ *$1( |$)"; }

check "xl help" "$XL" help
check "xl with no command (usage)" "$XL"
check "xl unknown command" "$XL" no-such-command
for f in "$SRC"/tests/cfg/pass/*.cfg "$SRC"/tests/cfg/fail/*.cfg; do
    [ -e "$f" ] || continue
    check "check-config ${f#"$SRC"/}" "$XL" check-config "$f"
done
if has_cmd create; then
    for f in "$SRC"/tests/cfg/pass/*.cfg; do
        [ -e "$f" ] || continue
        check "create -n ${f#"$SRC"/}" "$XL" create -n "$f"
    done
fi
rm -f /tmp/vg.$$
echo "1..$n"
