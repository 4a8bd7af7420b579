#!/bin/bash
# TAP: xl's command line without a hypervisor: dispatch, prefixes,
# ambiguity, global options, exit codes (0 ok, 1 failure, 2 usage), every
# command's -h and bad-option handling, `xl help` and man/xl.1 coverage.
set -u
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BLD=${top_builddir:-.}
XL=${XL:-$BLD/xl/xl}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0

ok() { # ok COND-EXIT-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        fails=$((fails + 1))
        [ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err" | head -n 10
    fi
}

# expect_rc RC DESCRIPTION ARGS...: xl ARGS exits RC
expect_rc() {
    local want=$1 desc=$2 got
    shift 2
    "$XL" "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    [ "$got" -eq "$want" ]
    ok $? "$desc (exit $got, want $want)"
}

# The commands of the table, read from its source, not from the binary.
mapfile -t CMDS < <(sed -n 's/^ *{\.name = "\([a-z0-9-]*\)",.*/\1/p' \
    "$SRC/xl/cmdtable.c")

expect_rc 2 "no command is a usage error"
expect_rc 2 "unknown command" no-such-command
grep -q "unknown command 'no-such-command'" "$TMP/err"
ok $? "unknown command is named"
expect_rc 2 "unknown global option" -Q list
expect_rc 0 "xl help" help
expect_rc 0 "xl --help" --help
expect_rc 0 "xl -h" -h
expect_rc 2 "help for an unknown command" help no-such-command
expect_rc 0 "--version" --version

"$XL" help >"$TMP/help" 2>&1
missing=
for c in "${CMDS[@]}"; do
    grep -qE "^ $c +[^ ]" "$TMP/help" || missing="$missing $c"
done
[ ${#CMDS[@]} -gt 10 ] && [ -z "$missing" ]
ok $? "xl help lists every table command (${#CMDS[@]};${missing:- none missing})"

missing=
for c in "${CMDS[@]}"; do
    grep -q "^\\\\fB$c\\\\fR" "$SRC/man/xl.1" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "man/xl.1 documents every command${missing:+ (missing:$missing)}"

# Every command: -h prints its help (exit 0, no Xen needed); an unknown
# option is a usage error (2).
bad_h='' bad_opt=''
for c in "${CMDS[@]}"; do
    if ! "$XL" "$c" -h >"$TMP/out" 2>"$TMP/err" ||
        ! grep -q "^Usage: xl .*$c" "$TMP/out"; then
        bad_h="$bad_h $c"
    fi
    "$XL" "$c" --no-such-option >/dev/null 2>&1
    [ $? -eq 2 ] || bad_opt="$bad_opt $c"
done
[ -z "$bad_h" ]
ok $? "every command's -h prints its usage, exit 0${bad_h:+ (bad:$bad_h)}"
[ -z "$bad_opt" ]
ok $? "every command rejects an unknown option with 2${bad_opt:+ (bad:$bad_opt)}"

# Prefixes: exact match wins, unique prefix works, ambiguity lists.
expect_rc 0 "unique prefix 'check-c' runs check-config" check-c -h
grep -q "^Usage: xl .*check-config" "$TMP/out"
ok $? "prefix dispatches to the full command"
expect_rc 2 "ambiguous prefix 'd'" d
grep -q "command 'd' is ambiguous: could be .*domid.*destroy" "$TMP/err"
ok $? "ambiguity lists the candidates"

# -N is refused by commands that cannot dry-run.
expect_rc 2 "-N refused by list" -N list
grep -q "dry-run" "$TMP/err"
ok $? "-N refusal says why"

# Usage errors come before any hypervisor access (exit 2, not 1).
expect_rc 2 "pause without a domain" pause
expect_rc 2 "rename with one argument" rename foo
expect_rc 2 "domid without a name" domid
expect_rc 2 "destroy with a missing operand" destroy -f
expect_rc 2 "shutdown with a domain and -a" shutdown -a foo
expect_rc 2 "info with two fields" info a b
expect_rc 2 "config-update with two config files" config-update d a.cfg b.cfg
expect_rc 2 "config-update with -f and a config file" \
    config-update -f a.cfg d x=1 b.cfg
grep -q "'b.cfg': the config file is 'a.cfg' already" "$TMP/err"
ok $? "config-update names the second config file"
expect_rc 2 "option missing its argument" console -t

# Commands that need Xen fail cleanly without it (1, one clear line).
if [ ! -e /dev/xen/privcmd ] && [ ! -e /proc/xen/privcmd ]; then
    expect_rc 1 "list without a hypervisor" list
    grep -q "cannot init xl context" "$TMP/err"
    ok $? "no hypervisor: clear message"
fi

echo "1..$n"
