#!/bin/sh
# Golden config corpus: every pass/*.cfg reads and validates without error
# (its warnings, if any, exactly as pass/NAME.expected); every fail/*.cfg
# fails with exactly the diagnostics in fail/NAME.expected. TAP output.
srcdir=${top_srcdir:-.}/tests/cfg
golden=$(cd "${top_builddir:-.}" && pwd)/tests/cfg/golden
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

cd "$srcdir" || exit 1
n=0
for f in pass/*.cfg fail/*.cfg; do
    n=$((n + 1))
done
echo "1..$n"

i=0
fails=0
for f in pass/*.cfg fail/*.cfg; do
    i=$((i + 1))
    exp=${f%.cfg}.expected
    "$golden" "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    case $f in
    pass/*) want=0 ;;
    *) want=1 ;;
    esac
    if [ -f "$exp" ]; then
        cp "$exp" "$tmp/exp"
    elif [ "$want" = 0 ]; then
        : >"$tmp/exp"
    else
        echo "not ok $i - $f (no $exp)"
        fails=$((fails + 1))
        continue
    fi
    if [ "$rc" != "$want" ]; then
        echo "not ok $i - $f (exit $rc, expected $want)"
        sed 's/^/# /' "$tmp/out" "$tmp/err"
        fails=$((fails + 1))
    elif ! diff -u "$tmp/exp" "$tmp/out" >"$tmp/diff"; then
        echo "not ok $i - $f (diagnostics differ)"
        sed 's/^/# /' "$tmp/diff"
        fails=$((fails + 1))
    else
        echo "ok $i - $f"
    fi
done
[ "$fails" = 0 ]
