#!/bin/bash
# TAP: `xl check-config` over the golden corpus (tests/cfg/pass, fail):
# exit codes, the verdict and messages of create -n, output equal to
# NAME.expected, --json well-formed, usage
# errors, and (on a build without sanitizers) valgrind finds no memory
# error or definite leak.
set -u
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BLD=${top_builddir:-.}
XL=${XL:-$BLD/xl/xl}
case $XL in /*) ;; *) XL=$PWD/$XL ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0

ok() { # ok STATUS DESCRIPTION [FILE-TO-SHOW]
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        [ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/# /' "$3" | head -n 20
    fi
}

# Runs in tests/cfg with the name "pass/X.cfg" or "fail/X.cfg", as the
# .expected files are written (diagnostics only; the OK line is on stdout).
CFG=$SRC/tests/cfg
run_cc() { # run_cc REL -> $TMP/out (stdout), $TMP/err (stderr), $rc
    (cd "$CFG" && "$XL" check-config "$1") >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

# check-config's verdict and diagnostics must be create -n's (both run
# here without Xen): same exit code, same messages, create's own
# "Parsing config from" and "nothing was created" lines aside.
same_as_create() { # same_as_create REL -> compares with $TMP/err, $rc
    (cd "$CFG" && "$XL" create -n "$1") >/dev/null 2>"$TMP/cerr"
    crc=$?
    grep -v -e '^Parsing config from ' -e 'nothing was created$' \
        "$TMP/cerr" >"$TMP/cerr2"
    { [ "$crc" -eq "$rc" ] || echo "create -n exit $crc, check-config $rc"; } \
        >"$TMP/cdiff"
    diff -u "$TMP/cerr2" "$TMP/err" >>"$TMP/cdiff"
    [ ! -s "$TMP/cdiff" ]
    ok $? "$1: check-config gives create -n's verdict and messages" \
        "$TMP/cdiff"
}

# pass/ holds files that read and validate (tests/cfg/run-golden.sh); a
# few of them create still refuses (minimal.cfg has no kernel): there the
# verdict is create -n's, checked by same_as_create.
npass=0
for f in "$CFG"/pass/*.cfg; do
    [ -e "$f" ] || continue
    npass=$((npass + 1))
    r=pass/$(basename "$f")
    run_cc "$r"
    same_as_create "$r"
    if [ "$rc" -eq 0 ]; then
        [ "$(cat "$TMP/out")" = "$r: configuration OK" ]
        ok $? "$r: exit 0 and 'configuration OK'" "$TMP/out"
    else
        [ ! -s "$TMP/out" ] && grep -q "^$r:[0-9:]* error: " "$TMP/err"
        ok $? "$r: refused by translation, the error names the file" \
            "$TMP/err"
    fi
    if [ -e "${f%.cfg}.expected" ]; then
        # validation's warnings are all there (translation may add more)
        grep -vxF -f "$TMP/err" "${f%.cfg}.expected" >"$TMP/missing"
        [ ! -s "$TMP/missing" ]
        ok $? "$r: has the warnings of ${r%.cfg}.expected" "$TMP/missing"
    fi
done
nfail=0
for f in "$CFG"/fail/*.cfg; do
    [ -e "$f" ] || continue
    nfail=$((nfail + 1))
    r=fail/$(basename "$f")
    run_cc "$r"
    [ "$rc" -eq 1 ] && [ ! -s "$TMP/out" ] &&
        grep -q "^$r:[0-9:]* error: " "$TMP/err"
    ok $? "$r: exit 1, an error naming the file (exit $rc)" "$TMP/err"
    same_as_create "$r"
    if [ -e "${f%.cfg}.expected" ]; then
        diff -u "${f%.cfg}.expected" "$TMP/err" >"$TMP/diff"
        ok $? "$r: diagnostics equal ${r%.cfg}.expected" "$TMP/diff"
    else
        ok 1 "$r: has a ${r%.cfg}.expected"
    fi
done
# The key corpus (one config per key of xl.cfg(5)): the same verdict and
# messages as create -n for each, refused keys included.
bad=
nkeys=0
for f in "$CFG"/keys/*.cfg; do
    [ -e "$f" ] || continue
    nkeys=$((nkeys + 1))
    r=keys/$(basename "$f")
    (cd "$CFG" && "$XL" check-config "$r") >/dev/null 2>"$TMP/err"
    rc=$?
    (cd "$CFG" && "$XL" create -n "$r") >/dev/null 2>"$TMP/cerr"
    crc=$?
    grep -v -e '^Parsing config from ' -e 'nothing was created$' \
        "$TMP/cerr" >"$TMP/cerr2"
    if [ "$rc" -ne "$crc" ] || ! cmp -s "$TMP/err" "$TMP/cerr2"; then
        bad="$bad $r"
        diff -u "$TMP/cerr2" "$TMP/err" >>"$TMP/kdiff"
    fi
done
[ "$nkeys" -gt 0 ] && [ -z "$bad" ]
ok $? "keys/: check-config gives create -n's verdict for all $nkeys${bad:+ (not:$bad)}" \
    "$TMP/kdiff"
[ "$npass" -gt 0 ] && [ "$nfail" -gt 0 ]
ok $? "the corpus is not empty ($npass pass, $nfail fail files)"

# Several files at once: one bad file makes the exit 1, good ones still
# say OK.
printf 'name = "ok"\nmemory = 256\nkernel = "/boot/vmlinuz"\n' >"$TMP/good.cfg"
printf 'name = "bad"\nmemory = 256 * 2\nkernel = "/boot/vmlinuz"\n' \
    >"$TMP/bad.cfg"
(cd "$TMP" && "$XL" check-config good.cfg bad.cfg >out2 2>&1)
rc=$?
[ "$rc" -eq 1 ] && grep -q '^good.cfg: configuration OK$' "$TMP/out2" &&
    grep -q '^bad.cfg:2:[0-9]*: error: ' "$TMP/out2"
ok $? "several files: each reported, exit 1 if any is bad" "$TMP/out2"

# Files that only translation refuses: check-config refuses them too, at
# the key (it used to stop after validation and call them OK).
printf 'name = "t"\nmemory = 256\nkernel = "/boot/vmlinuz"\n%s\n' \
    'cpuid = "host,no-such-flag=1"' >"$TMP/tr.cfg"
(cd "$TMP" && "$XL" check-config tr.cfg >out3 2>&1)
rc=$?
[ "$rc" -eq 1 ] && grep -q '^tr.cfg:4:[0-9]*: error: ' "$TMP/out3" &&
    ! grep -q 'configuration OK' "$TMP/out3"
ok $? "a file only translation refuses: exit 1, error at the key" \
    "$TMP/out3"

# Only regular files are read, never blocking: a FIFO, a device, a file
# over the size limit are each refused with the reason (issue 15).
mkfifo "$TMP/fifo"
for f in "$TMP/fifo" /dev/zero; do
    timeout 20 "$XL" check-config "$f" >"$TMP/out4" 2>&1
    rc=$?
    [ "$rc" -eq 1 ] && grep -q "error: not a regular file" "$TMP/out4"
    ok $? "$f: refused at once, not read (exit $rc)" "$TMP/out4"
done
truncate -s 17M "$TMP/big.cfg"
timeout 20 "$XL" check-config "$TMP/big.cfg" >"$TMP/out4" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "larger than 16 MiB" "$TMP/out4"
ok $? "a 17 MiB file is refused as too large (exit $rc)" "$TMP/out4"
# A read that runs out of memory is reported as such, never as a later
# symptom ("'name' is not set"), and an edit leaves the file as it was.
# Under ASan an allocation above 4 MiB fails; elsewhere the address space
# is capped.
{
    printf 'name = "mem"\nkernel = "/boot/vmlinuz"\nmemory = 128\n'
    for _ in $(seq 100000); do
        echo 'extra = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'
    done
} >"$TMP/mem.cfg"
cp "$TMP/mem.cfg" "$TMP/mem.orig"
starved() { # starved CMD... -> $TMP/out6, $rc
    if grep -aq __asan_init "$XL" 2>/dev/null; then
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=4 \
            "$@" >"$TMP/out6" 2>&1
    else
        (ulimit -v 40000 && exec "$@") >"$TMP/out6" 2>&1
    fi
    rc=$?
}
for c in "create -n" check-config "config-set"; do
    extra=
    [ "$c" = config-set ] && extra=memory=256
    # shellcheck disable=SC2086 # $c is two words on purpose
    XL_CONF=/dev/null starved "$XL" $c "$TMP/mem.cfg" $extra
    [ "$rc" -eq 1 ] && grep -q -e "out of memory" -e "Cannot allocate" "$TMP/out6" &&
        ! grep -q "not set" "$TMP/out6" && cmp -s "$TMP/mem.cfg" "$TMP/mem.orig"
    ok $? "$c out of memory: says so (exit $rc), file untouched" "$TMP/out6"
done

printf 'name = "v"\nkernel = "/k"\nvif = [ ]\nvif += [ ]\n' >"$TMP/empty+=.cfg"
"$XL" check-config "$TMP/empty+=.cfg" >"$TMP/out4" 2>&1
ok $? "vif += [ ] on an empty list is fine" "$TMP/out4"

# A huge bad token is quoted in a bounded excerpt, not repeated whole.
{
    printf 'name = "t"\nkernel = "/k"\ncap = 1'
    head -c 1000000 /dev/zero | tr '\0' x
    printf '\n'
} >"$TMP/long.cfg"
"$XL" check-config "$TMP/long.cfg" >"$TMP/out5" 2>&1
rc=$?
size=$(wc -c <"$TMP/out5")
[ "$rc" -eq 1 ] && [ "$size" -lt 2000 ] && grep -q '\.\.\.$' "$TMP/out5"
ok $? "a 1 MB bad token: a short excerpt ($size bytes of diagnostics)" \
    "$TMP/out5"

# --json: valid JSON on stdout, one object per file.
(cd "$TMP" && "$XL" check-config --json good.cfg bad.cfg >json 2>jerr)
rc=$?
if command -v python3 >/dev/null; then
    python3 - "$TMP/json" <<'PY' >"$TMP/jcheck" 2>&1
import json, sys
doc = json.load(open(sys.argv[1]))
assert [d["file"] for d in doc] == ["good.cfg", "bad.cfg"], doc
assert doc[0]["ok"] is True and doc[1]["ok"] is False, doc
assert doc[1]["errors"] >= 1, doc
e = [x for x in doc[1]["diagnostics"] if x["severity"] == "error"][0]
assert e["line"] == 2 and e["file"] == "bad.cfg", e
PY
    [ "$rc" -eq 1 ] && [ ! -s "$TMP/jerr" ] && [ ! -s "$TMP/jcheck" ]
    ok $? "--json: well-formed, per-file ok/errors/diagnostics" "$TMP/jcheck"
    # a file name that is not UTF-8 still gives valid JSON
    bad_name=$(printf 'bad\377.cfg')
    cp "$TMP/good.cfg" "$TMP/$bad_name"
    (cd "$TMP" && "$XL" check-config --json "$bad_name" >json2 2>/dev/null)
    python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' \
        "$TMP/json2" >"$TMP/jcheck2" 2>&1
    ok $? "--json: a non-UTF-8 file name still gives valid JSON" "$TMP/jcheck2"
fi

# Usage and I/O errors.
"$XL" check-config >/dev/null 2>&1
ok $(($? != 2)) "no file: usage error (2)"
"$XL" check-config --bogus "$TMP/good.cfg" >/dev/null 2>&1
ok $(($? != 2)) "unknown option: usage error (2)"
"$XL" check-config "$TMP/does-not-exist.cfg" >"$TMP/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "does-not-exist.cfg" "$TMP/out"
ok $? "missing file: exit 1 naming the file" "$TMP/out"
# check-config never needs Xen: it must not try to open a libxl context.
! grep -q "xl context" "$TMP/out"
ok $? "check-config does not touch the hypervisor" "$TMP/out"

# valgrind, only where it can see everything (not under ASan).
if ! command -v valgrind >/dev/null; then
    echo "ok $((n += 1)) # SKIP valgrind not installed"
elif grep -aq __asan_init "$XL" 2>/dev/null; then
    echo "ok $((n += 1)) # SKIP $XL is built with AddressSanitizer" \
        "(CI runs this on a plain build)"
else
    bad=
    for f in "$CFG"/pass/*.cfg "$CFG"/fail/*.cfg \
        "$TMP/good.cfg" "$TMP/bad.cfg"; do
        [ -e "$f" ] || continue
        for j in "" --json; do
            valgrind -q --error-exitcode=99 --leak-check=full \
                --errors-for-leak-kinds=definite \
                "$XL" check-config $j "$f" >/dev/null 2>"$TMP/vg"
            [ $? -eq 99 ] && bad="$bad ${f##*/}$j" && cp "$TMP/vg" "$TMP/vgbad"
        done
    done
    [ -z "$bad" ]
    ok $? "valgrind: no memory error or leak in check-config${bad:+ (bad:$bad)}" \
        "$TMP/vgbad"
fi

echo "1..$n"
