#!/bin/sh
# create-stderr.sh: what `xl create -n` says on stderr, byte for byte, for
# each tests/cfg/stderr/NAME.cfg (golden NAME.stderr). Guards that every
# diagnostic is printed exactly once: the config is parsed once, and each
# disk/vif spec is parsed once, by validation (translation maps the
# parsed structs). Run from that directory, so paths are relative.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
XL=${XL:-$builddir/xl/xl}
case $XL in /*) ;; *) XL=$(pwd)/$XL ;; esac
dir=$srcdir/tests/cfg/stderr
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

set -- "$dir"/*.cfg
echo "1..$#"
n=0
for cfg in "$@"; do
    n=$((n + 1))
    name=$(basename "$cfg" .cfg)
    (cd "$dir" && "$XL" create -n "$name.cfg" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "not ok $n - $name: create -n exited $rc"
        sed 's/^/#   /' "$tmp/err"
    elif diff -u "$dir/$name.stderr" "$tmp/err" >"$tmp/diff"; then
        echo "ok $n - $name: stderr equals $name.stderr"
    else
        echo "not ok $n - $name: stderr differs from $name.stderr"
        sed 's/^/#   /' "$tmp/diff"
    fi
done
