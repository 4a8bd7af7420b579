#!/bin/bash
# TAP: golden tests of `xl boot-policy`. Each case switches a copy of an
# input config (tests/bootpolicy/NAME.cfg) and compares the file with
# NAME.POLICY.expected, or, for a switch that must be refused, the exit
# status (1) and message with NAME.POLICY.err and the file left untouched.
# Round trips (pv -> X -> pv) must give the original back byte for byte.
set -uo pipefail
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BLD=$(cd "${top_builddir:-$SRC}" && pwd)
XL=${XL:-$BLD/xl/xl}
D=$SRC/tests/bootpolicy
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# name policy [options...]
switch_case() {
    local name=$1 policy=$2 out err rc
    shift 2
    cp "$D/$name.cfg" "$T/$name.cfg"
    out=$(cd "$T" && "$XL" boot-policy --no-backup "$@" "$name.cfg" \
        "$policy" 2>"$T/err")
    rc=$?
    err=$(cat "$T/err")
    if [ -e "$D/$name.$policy.err" ]; then
        if [ "$rc" = 1 ] && [ "$err" = "$(cat "$D/$name.$policy.err")" ] &&
            cmp -s "$D/$name.cfg" "$T/$name.cfg"; then
            ok "$name -> $policy refused: $(head -n 1 "$D/$name.$policy.err")"
        else
            not_ok "$name -> $policy must be refused (exit $rc)"
            printf '%s\n' "$err" | sed 's/^/# /'
        fi
        return
    fi
    if [ "$rc" = 0 ] && diff -u "$D/$name.$policy.expected" "$T/$name.cfg" \
        >"$T/diff"; then
        ok "$name -> $policy: $out"
    else
        not_ok "$name -> $policy (exit $rc)"
        sed 's/^/# /' "$T/diff" "$T/err" | head -n 40
    fi
}

# name policy1 policy2 ...: switching through them ends where it started
round_trip() {
    local name=$1 p rc=0
    shift
    cp "$D/$name.cfg" "$T/rt.cfg"
    for p in "$@"; do
        "$XL" boot-policy --no-backup "$T/rt.cfg" "$p" >/dev/null 2>&1 ||
            rc=1
    done
    if [ "$rc" = 0 ] && cmp -s "$D/$name.cfg" "$T/rt.cfg"; then
        ok "round trip $name: $*"
    else
        not_ok "round trip $name: $*"
        diff -u "$D/$name.cfg" "$T/rt.cfg" | sed 's/^/# /' | head -n 30
    fi
}

switch_case pv-direct hvm
switch_case pv-direct pygrub
switch_case pv-direct pvh
switch_case hvm-xm pv
switch_case hvm-xm pygrub
switch_case pygrub hvm
switch_case pygrub pv
switch_case pvh hvm
switch_case pvh pv
switch_case nodisk-pv hvm
switch_case nodisk-pv pygrub
round_trip pv-direct hvm pv
round_trip pv-direct pygrub pv
round_trip pv-direct pvh pv
round_trip pv-direct hvm pygrub pvh pv
round_trip pvh hvm pvh
# files without type=: no type= is left behind by the way back
round_trip xm-pv hvm pv
round_trip xm-pv pvh pv
round_trip xm-pv pygrub pv
round_trip xm-pv hvm pygrub pvh pv
round_trip builder-pv hvm pv
round_trip builder-pv pvh pv
round_trip builder-pv pygrub pv
round_trip builder-hvm pygrub hvm

# the dry run prints a diff and writes nothing
cp "$D/pv-direct.cfg" "$T/dry.cfg"
if "$XL" boot-policy -n "$T/dry.cfg" hvm >"$T/out" 2>&1 &&
    cmp -s "$D/pv-direct.cfg" "$T/dry.cfg" && grep -q '^+type    = "hvm"' "$T/out" &&
    [ ! -e "$T/dry.cfg.bak" ]; then
    ok "dry run prints a diff and leaves the file alone"
else
    not_ok "dry run"
    sed 's/^/# /' "$T/out" | head -n 20
fi
# a real switch keeps the previous file as .bak
cp "$D/pv-direct.cfg" "$T/bak.cfg"
if "$XL" boot-policy "$T/bak.cfg" pvh >/dev/null 2>&1 &&
    cmp -s "$D/pv-direct.cfg" "$T/bak.cfg.bak"; then
    ok "previous version kept as .bak"
else
    not_ok "previous version kept as .bak"
fi
# usage errors
expect_exit() { # expect_exit STATUS DESCRIPTION CMD...
    local want=$1 desc=$2
    shift 2
    "$@" >/dev/null 2>&1
    if [ $? = "$want" ]; then ok "$desc"; else not_ok "$desc"; fi
}
expect_exit 2 "unknown policy is a usage error (2)" \
    "$XL" boot-policy "$T/bak.cfg" sideways
expect_exit 1 "missing file fails (1)" \
    "$XL" boot-policy "$T/nonexistent.cfg" pv
expect_exit 2 "config-set without key=value is a usage error (2)" \
    "$XL" config-set "$T/bak.cfg" memory
# config-set / config-unset
# a symlinked config is edited at its target; owner, group, mode kept
printf 'name = "v"\nkernel = "/k"\n' >"$T/real.cfg"
ln -s real.cfg "$T/link.cfg"
chmod 0640 "$T/real.cfg"
if [ "$(id -u)" = 0 ]; then chown nobody "$T/real.cfg"; fi
before=$(stat -c '%U:%G %a' "$T/real.cfg")
"$XL" config-set "$T/link.cfg" vcpus=2 >/dev/null 2>&1
if [ -L "$T/link.cfg" ] && grep -q '^vcpus = 2$' "$T/real.cfg" &&
    [ "$(stat -c '%U:%G %a' "$T/real.cfg")" = "$before" ]; then
    ok "config-set through a symlink edits the target, keeps $before"
else
    not_ok "config-set through a symlink edits the target, keeps $before"
    find "$T" -maxdepth 1 -printf '# %M %u:%g %p\n'
fi
# concurrent edits all land, and nothing is left behind (FILE.bak a hard
# link to FILE included)
mkdir "$T/conc"
printf 'name = "c"\nkernel = "/k"\n' >"$T/conc/c.cfg"
ln "$T/conc/c.cfg" "$T/conc/c.cfg.bak"
for i in $(seq 1 20); do
    "$XL" config-set "$T/conc/c.cfg" "k$i=$i" >/dev/null 2>&1 &
done
wait
if [ "$(grep -c '^k[0-9]* = ' "$T/conc/c.cfg")" = 20 ] &&
    [ "$(find "$T/conc" -mindepth 1 -printf '%f\n' | sort)" = "$(printf 'c.cfg\nc.cfg.bak')" ]; then
    ok "20 concurrent config-set: every update lands, no litter"
else
    not_ok "20 concurrent config-set: every update lands, no litter"
    find "$T/conc" -mindepth 1 -printf '# %f\n'
    grep -c '^k' "$T/conc/c.cfg" | sed 's/^/# keys: /'
fi
# a directory the editor cannot write is named as the reason
if [ "$(id -u)" = 0 ] && command -v su >/dev/null; then
    mkdir "$T/ro"
    printf 'name = "r"\nkernel = "/k"\n' >"$T/ro/r.cfg"
    chmod 0666 "$T/ro/r.cfg"
    chmod 0555 "$T/ro"
    chmod o+x "$T"
    out=$(su nobody -s /bin/sh -c "'$XL' config-set '$T/ro/r.cfg' vcpus=2" 2>&1)
    case $out in
    *"its directory $T/ro must be writable"*) ok "read-only directory: said so" ;;
    *)
        not_ok "read-only directory: said so"
        printf '# %s\n' "$out"
        ;;
    esac
else
    ok "read-only directory: said so # SKIP needs root"
fi
# a CRLF file keeps CRLF on the lines an edit adds
printf 'name = "v"\r\nkernel = "/k"\r\n' >"$T/crlf.cfg"
"$XL" config-set --no-backup "$T/crlf.cfg" vcpus=2 memory=256 >/dev/null 2>&1
if [ "$(wc -l <"$T/crlf.cfg")" = 4 ] && ! grep -qv $'\r$' "$T/crlf.cfg"; then
    ok "config-set on a CRLF file adds CRLF lines"
else
    not_ok "config-set on a CRLF file adds CRLF lines"
    od -c "$T/crlf.cfg" | sed 's/^/# /'
fi
# a value of the wrong type is refused and the file left as it was
printf 'name = "v"\nkernel = "/k"\nmemory = 256\n' >"$T/typed.cfg"
cp "$T/typed.cfg" "$T/typed.orig"
if ! "$XL" config-set --no-backup "$T/typed.cfg" memory=512M vcpus=two \
    2>"$T/typed.err" && cmp -s "$T/typed.cfg" "$T/typed.orig" &&
    grep -q "typed.cfg:3:11: error: 'memory' must be a number" "$T/typed.err"; then
    ok "config-set memory=512M vcpus=two: refused at the value, file untouched"
else
    not_ok "config-set memory=512M vcpus=two: refused at the value, file untouched"
    sed 's/^/# /' "$T/typed.err"
fi
printf '# c\nname = "g" # n\nmemory = 128\n' >"$T/cs.cfg"
"$XL" config-set --no-backup "$T/cs.cfg" memory=256 type=hvm 'vif=["bridge=xenbr0"]' &&
    "$XL" config-unset --no-backup "$T/cs.cfg" type
if [ "$(cat "$T/cs.cfg")" = "$(printf '# c\nname = "g" # n\nmemory = 256\nvif = ["bridge=xenbr0"]')" ]; then
    ok "config-set and config-unset keep comments and layout"
else
    not_ok "config-set and config-unset keep comments and layout"
    sed 's/^/# /' "$T/cs.cfg"
fi
echo "1..$n"
