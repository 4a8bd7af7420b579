#!/bin/sh
# TAP test of grub/20_xl_toolstack on fixture /boot trees against golden output.
#
# Fixture trees live in tests/grub/fixtures/NAME/; a file "IMAGE.mb" there
# stands for a Xen image IMAGE whose multiboot headers are listed in it
# ("2 1", "2", "1" or "none"): the test builds a small image with exactly
# those headers (gzipped when IMAGE ends in .gz), so detection is tested on
# real header bytes. Golden outputs: tests/grub/expected/CASE.out.
# Set XL_GRUB_UPDATE=1 to rewrite the golden files after a deliberate change.
set -u

srcdir="${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}"
helper="$srcdir/grub/20_xl_toolstack"
defaults="$srcdir/grub/xl-toolstack.cfg"
fixtures="$srcdir/tests/grub/fixtures"
expected="$srcdir/tests/grub/expected"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xl-grub-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
failed=0
ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
}
check() { # check DESCRIPTION COMMAND...
    desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# le32 N: four little-endian bytes of N as printf octal escapes.
le32() {
    v=$(($1 & 0xffffffff))
    printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $(((v >> 8) & 255)) \
        $(((v >> 16) & 255)) $(((v >> 24) & 255))
}

# mkimage OUT KINDS: 64 bytes of padding, then the requested headers.
mkimage() {
    out=$1
    kinds=$2
    raw="$out.raw"
    head -c 64 /dev/zero >"$raw"
    case " $kinds " in
    *" 1 "*)
        m=$((0x1BADB002))
        # shellcheck disable=SC2059 # the format is built from octal escapes
        printf "$(le32 $m)$(le32 0)$(le32 $((0 - m)))$(le32 0)" >>"$raw"
        ;;
    esac
    case " $kinds " in
    *" 2 "*)
        m=$((0xE85250D6))
        # magic, arch 0 (i386), header length 24, checksum, end tag.
        # shellcheck disable=SC2059
        printf "$(le32 $m)$(le32 0)$(le32 24)$(le32 $((0 - m - 24)))$(le32 0)$(le32 8)" >>"$raw"
        ;;
    esac
    head -c 200 /dev/zero >>"$raw"
    case "$out" in
    *.gz) gzip -n -c "$raw" >"$out" ;;
    *) cp "$raw" "$out" ;;
    esac
    rm -f "$raw"
}

# tree NAME: a fresh copy of fixture NAME with its images built; prints root.
tree() {
    root="$tmp/root-$1-$n"
    mkdir -p "$root"
    cp -R "$fixtures/$1/." "$root/"
    find "$root" -name '*.mb' | while IFS= read -r mb; do
        mkimage "${mb%.mb}" "$(cat "$mb")"
        rm -f "$mb"
    done
    printf '%s' "$root"
}

# run CASE FIXTURE [--menu-lst] -- [VAR=VALUE...]: run the helper on a
# fixture with only the given environment; sets $out, $err, $rc.
run() {
    case_name=$1
    root=$(tree "$2")
    shift 2
    arg=""
    if [ "${1:-}" = --menu-lst ]; then
        arg=--menu-lst
        shift
    fi
    [ "${1:-}" = -- ] && shift
    out="$tmp/$case_name.out"
    err="$tmp/$case_name.err"
    # env -i: nothing of the caller's GRUB_*/XL_* leaks in; values are
    # passed as argv words, never evaluated.
    env -i PATH="$PATH" XL_GRUB_ROOT="$root" "$@" \
        sh "$helper" ${arg:+"$arg"} >"$out" 2>"$err"
    rc=$?
}

golden() { # golden CASE: stdout equals expected/CASE.out
    if [ "${XL_GRUB_UPDATE:-}" = 1 ]; then
        cp "$tmp/$1.out" "$expected/$1.out"
    fi
    if diff -u "$expected/$1.out" "$tmp/$1.out" >"$tmp/$1.diff"; then
        return 0
    fi
    sed 's/^/# /' "$tmp/$1.diff"
    return 1
}

stderr_has() { # stderr_has PATTERN
    if grep -q -- "$1" "$err"; then
        return 0
    fi
    echo "# stderr lacks '$1':"
    sed 's/^/#   /' "$err"
    return 1
}

grub_syntax_ok() { # the output parses as a grub.cfg (when GRUB is installed)
    if ! command -v grub-script-check >/dev/null 2>&1; then
        return 0
    fi
    grub-script-check "$out"
}

echo "1..39"

# 1-5: a Debian-like /boot with every knob set.
run knobs one -- GRUB_DISTRIBUTOR=Debian GRUB_DEVICE=/dev/vda \
    GRUB_CMDLINE_LINUX="console=hvc0" GRUB_CMDLINE_LINUX_DEFAULT=quiet \
    GRUB_CMDLINE_XEN="loglvl=all" GRUB_CMDLINE_XEN_DEFAULT="guest_loglvl=all" \
    XL_DOM0_MEM=1024M XL_DOM0_VCPUS=1 XL_DOM0_VCPUS_PIN=true \
    XL_XEN_SERIAL=115200,8n1
check "knobs: exit 0" test "$rc" = 0
check "knobs: entries as expected" golden knobs
check "knobs: grub-script-check accepts the output" grub_syntax_ok
check "knobs: kernel without CONFIG_XEN_DOM0 reported" \
    stderr_has "skipping /boot/vmlinuz-6.1.0-9-cloud-amd64: built without CONFIG_XEN_DOM0"
check "knobs: recovery entry lacks GRUB_CMDLINE_XEN_DEFAULT" \
    sh -c "grep -A4 'recovery mode' '$out' | grep multiboot2 | grep -v guest_loglvl | grep -q loglvl=all"

# 6-8: no knobs: Xen's defaults, no dom0_* words at all.
run plain one -- GRUB_DEVICE_UUID=1234-abcd
check "plain: exit 0" test "$rc" = 0
check "plain: entries as expected" golden plain
check "plain: no dom0_ argument without knobs" \
    sh -c "! grep -q dom0_ '$out'"

# 9-12: two Xens x two kernels, newest first, multiboot v1 fallback, flat.
run pairs two -- GRUB_DISABLE_RECOVERY=true GRUB_DISABLE_SUBMENU=y \
    XL_DOM0_MEM_MAX=2G
check "pairs: exit 0" test "$rc" = 0
check "pairs: entries as expected" golden pairs
check "pairs: grub-script-check accepts the output" grub_syntax_ok
check "pairs: 3 Xen x 2 kernels + default entry = 7 entries" \
    test "$(grep -c '^menuentry' "$out")" = 7

# 13-15: nothing to boot -> silent success.
run empty empty --
check "no Xen image: exit 0" test "$rc" = 0
check "no Xen image: no output" test ! -s "$out"
run nodom0 nodom0 --
check "no dom0 kernel: exit 0, no output, reason on stderr" \
    sh -c "test $rc = 0 && test ! -s '$out' && grep -q 'no /boot/config-5.10.0-noconfig' '$err'"

# 16-18: leftovers ignored, a non-multiboot file reported.
run garbage garbage --
check "garbage: exit 0" test "$rc" = 0
check "garbage: entries as expected (only xen-4.17, only the real kernel)" \
    golden garbage
check "garbage: non-multiboot image reported" \
    stderr_has "skipping /boot/xen-notes: no multiboot or multiboot2 header"

# 19-21: legacy menu.lst; a multiboot2-only image cannot be used there.
run menulst two --menu-lst -- GRUB_DEVICE=/dev/sda1 XL_DOM0_MEM=512M \
    XL_DOM0_VCPUS_PIN=yes XL_MENU_LST_ROOT="(hd0,0)" \
    GRUB_CMDLINE_XEN_DEFAULT="sched=credit"
check "menu.lst: exit 0" test "$rc" = 0
check "menu.lst: stanzas as expected" golden menulst
check "menu.lst: multiboot2-only image skipped with a reason" \
    stderr_has "xen-4.19-mb2only.gz: legacy GRUB needs a multiboot (v1) header"

# 22-23: Linux arguments replaced for Xen entries.
run replace one -- GRUB_CMDLINE_LINUX="console=tty0" \
    GRUB_CMDLINE_LINUX_XEN_REPLACE="console=hvc0" \
    GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT="earlyprintk=xen"
check "XEN_REPLACE: exit 0" test "$rc" = 0
check "XEN_REPLACE: Linux arguments replaced" \
    sh -c "grep -q 'module2	/boot/vmlinuz-6.1.0-28-amd64 ro console=hvc0 earlyprintk=xen$' '$out' && ! grep -q tty0 '$out'"

# 24-28: bad knob values are refused with the value named, no output.
run badmem one -- XL_DOM0_MEM="1 G"
check "bad XL_DOM0_MEM: exit 1, no output" sh -c "test $rc = 1 && test ! -s '$out'"
check "bad XL_DOM0_MEM: message names the value" \
    stderr_has "XL_DOM0_MEM='1 G' is not a size"
run badvcpus one -- XL_DOM0_VCPUS=0
check "bad XL_DOM0_VCPUS refused" \
    sh -c "test $rc = 1 && grep -q \"XL_DOM0_VCPUS='0'\" '$err'"
run badpin one -- XL_DOM0_VCPUS_PIN=maybe
check "bad XL_DOM0_VCPUS_PIN refused" \
    sh -c "test $rc = 1 && grep -q 'must be true or false' '$err'"
run badserial one -- XL_XEN_SERIAL='115200;reboot' XL_XEN_SERIAL_PORT=com1
check "shell metacharacters in XL_XEN_SERIAL refused" \
    sh -c "test $rc = 1 && test ! -s '$out'"

# 29-30: the default entry is never changed silently.
check "helper never emits 'set default'" \
    sh -c "! grep -q 'set default' '$tmp/knobs.out' '$tmp/pairs.out'"
check "default entry carries the stable id xl-toolstack-xen" \
    grep -q "\$menuentry_id_option 'xl-toolstack-xen' {" "$tmp/knobs.out"

# 31-33: the defaults file (sourced by grub-mkconfig) exports the knobs and
# sets GRUB_DEFAULT only when asked.
# sourced FILE VAR: VAR as a grub.d child script sees it after
# grub-mkconfig (GRUB_DEFAULT=0 beforehand) sourced FILE.
sourced() {
    # shellcheck disable=SC2016 # expanded by the child shell
    env -i PATH="$PATH" sh -c 'GRUB_DEFAULT=0; . "$1"; export GRUB_DEFAULT
        printenv "$2"' sh "$1" "$2"
}
# Admin edits of the shipped file.
sed 's/^XL_XEN_DEFAULT="false"/XL_XEN_DEFAULT="true"/' "$defaults" >"$tmp/on.cfg"
sed 's/^XL_DOM0_VCPUS=""/XL_DOM0_VCPUS="2"/' "$defaults" >"$tmp/vcpus.cfg"
check "defaults file as shipped leaves GRUB_DEFAULT alone" \
    test "$(sourced "$defaults" GRUB_DEFAULT)" = 0
check "XL_XEN_DEFAULT=true selects the Xen entry by id" \
    test "$(sourced "$tmp/on.cfg" GRUB_DEFAULT)" = xl-toolstack-xen
check "defaults file exports the knobs to grub.d scripts" \
    test "$(sourced "$tmp/vcpus.cfg" XL_DOM0_VCPUS)" = 2

# 34-37: hostile names and values are quoted, never read as GRUB syntax.
root=$(tree one)
b=$root/boot
mv "$b/vmlinuz-6.1.0-28-amd64" "$b/vmlinuz-6.1.0-28-amd64;reboot"
cp "$b/config-6.1.0-28-amd64" "$b/config-6.1.0-28-amd64;reboot"
mv "$b/vmlinuz-6.1.0-9-cloud-amd64" "$b/vmlinuz-6.1.0-9 cloud"
cp "$b/config-6.1.0-28-amd64" "$b/config-6.1.0-9 cloud"
out="$tmp/hostile.out"
err="$tmp/hostile.err"
# shellcheck disable=SC2016 # a literal $x, for the helper to quote
env -i PATH="$PATH" XL_GRUB_ROOT="$root" GRUB_CMDLINE_LINUX="console=hvc0 it's" \
    GRUB_CMDLINE_XEN='loglvl=all $x' sh "$helper" >"$out" 2>"$err"
rc=$?
check "a kernel named 'vmlinuz-...;reboot' is quoted, not a reboot command" \
    grep -q "'/boot/vmlinuz-6.1.0-28-amd64;reboot'" "$out"
both_quoted() {
    grep -qF -- "'it'\\''s'" "$out" && grep -qF -- "'\$x'" "$out"
}
check "a quote or \$ in GRUB_CMDLINE_* is quoted (each word its own)" \
    both_quoted
check "a path with a blank is one quoted word" \
    grep -q "'/boot/vmlinuz-6.1.0-9 cloud'" "$out"
check "the hostile output still parses as a grub.cfg" grub_syntax_ok

# 38-39: the knobs are range-checked.
run hugemem one -- XL_DOM0_MEM=99999999999999999999G
check "XL_DOM0_MEM=99999999999999999999G refused" \
    sh -c "test $rc = 1 && test ! -s '$out'"
run vcpus42 one -- XL_DOM0_VCPUS=4-2
check "XL_DOM0_VCPUS=4-2 (MIN above MAX) refused" \
    sh -c "test $rc = 1 && test ! -s '$out'"

[ "$failed" = 0 ]
