#!/bin/bash
# TAP: usage errors of trigger, sysrq, button-press, debug-keys,
# set-parameters and dump-core without a hypervisor: each exits 2 with a
# message naming the bad argument, before any libxl context is opened
# (which would fail here with exit 1, "cannot init xl context").
set -u
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
        sed 's/^/# /' "$TMP/err" | head -n 10
    fi
}

# usage MESSAGE-ERE ARGS...: xl ARGS exits 2, stderr matches MESSAGE-ERE
# and never mentions the libxl context.
usage() {
    local want=$1 got
    shift
    "$XL" "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    [ "$got" -eq 2 ] && grep -qE -- "$want" "$TMP/err" &&
        ! grep -q "xl context" "$TMP/err" && [ ! -s "$TMP/out" ]
    ok $? "xl $* -> exit $got, '$want'"
}

# Operand count.
usage "^xl: trigger: missing argument" trigger
usage "^xl: trigger: missing argument" trigger dom
usage "^xl: trigger: unexpected argument 'extra'" trigger dom nmi 0 extra
usage "^xl: sysrq: missing argument" sysrq dom
usage "^xl: sysrq: unexpected argument 'x'" sysrq dom h x
usage "^xl: button-press: missing argument" button-press dom
usage "^xl: button-press: unexpected argument 'x'" button-press dom power x
usage "^xl: debug-keys: missing argument" debug-keys
usage "^xl: debug-keys: unexpected argument 'r'" debug-keys q r
usage "^xl: set-parameters: missing argument" set-parameters
usage "^xl: set-parameters: unexpected argument 'b=1'" set-parameters a=1 b=1
usage "^xl: dump-core: missing argument" dump-core dom
usage "^xl: dump-core: unexpected argument 'x'" dump-core dom f x
usage "^Usage: xl dump-core <Domain> <filename>" dump-core dom

# Bad values, named.
usage "^xl: trigger: unknown trigger 'bogus' \(nmi, reset, init, power, sleep or s3resume\)" \
    trigger dom bogus
usage "unknown trigger 'unknown'" trigger dom unknown
usage "^xl: trigger: invalid VCPU 'x'" trigger dom nmi x
usage "^xl: trigger: invalid VCPU '1x'" trigger dom nmi 1x
usage "^xl: trigger: invalid VCPU '4294967296'" trigger dom nmi 4294967296
usage "unknown option '-1'" trigger dom nmi -1
usage "^xl: sysrq: 'hh' is not one character" sysrq dom hh
usage "^xl: sysrq: '' is not one character" sysrq dom ''
usage "^xl: button-press: unknown button 'reset' \(power or sleep\)" \
    button-press dom reset
usage "^xl: set-parameters: 'foo' is not NAME=VALUE or noNAME" \
    set-parameters foo
usage "^xl: set-parameters: 'no' is not NAME=VALUE or noNAME" \
    set-parameters 'loglvl=all no'
usage "^xl: set-parameters: '=1' is not NAME=VALUE or noNAME" \
    set-parameters '=1'
usage "the dry-run option -N is not supported" -N trigger dom nmi

# button-press warns that it is deprecated, even on a usage error.
usage "^xl: warning: button-press is deprecated; use 'xl trigger" \
    button-press dom

# Valid arguments get as far as the hypervisor: here, none (exit 1).
if [ ! -e /dev/xen/privcmd ] && [ ! -e /proc/xen/privcmd ]; then
    for args in "trigger dom nmi 1" "trigger dom S3RESUME" "sysrq dom h" \
        "button-press dom sleep" "debug-keys q" "debug R" \
        "set-parameters noreboot" "dump-core dom /tmp/core"; do
        # shellcheck disable=SC2086 # split on purpose
        "$XL" $args >"$TMP/out" 2>"$TMP/err"
        [ $? -eq 1 ] && grep -q "cannot init xl context" "$TMP/err"
        ok $? "xl $args: arguments accepted (exit 1 only for want of Xen)"
    done
else
    for _ in 1 2 3 4 5 6 7 8; do
        n=$((n + 1))
        echo "ok $n # SKIP this host runs Xen"
    done
fi

# `xl help` and -h.
"$XL" help debug >"$TMP/out" 2>"$TMP/err" &&
    grep -q "^Usage: xl \[-v\] debug-keys <Keys>" "$TMP/out"
ok $? "xl help debug: the debug-keys help (unique prefix)"
"$XL" trigger -h >"$TMP/out" 2>"$TMP/err" &&
    grep -q "^Usage: xl \[-v\] trigger <Domain> <nmi|reset|init|power|sleep|s3resume> \[<VCPU>\]" \
        "$TMP/out"
ok $? "xl trigger -h: the reference's usage line"

echo "1..$n"
[ "$fails" -eq 0 ]
