#!/bin/bash
# TAP: every kernel payload format unpacks to the same bytes as Debian's own
# tool (xz, gzip, bzip2, lzma, lz4, zstd), as a bzImage payload and as a
# compressed ELF; cut or damaged data gives a clear error; SHA-256 agrees
# with sha256sum; a real Debian kernel in /boot is checked when present.
set -uo pipefail
BUILD=${top_builddir:-.}
TOOL=$BUILD/tests/kcache/kcache_tool
W=$(mktemp -d /tmp/kcache-formats.XXXXXX)
trap 'rm -rf "$W"' EXIT
n=0
fails=0
ok() { # ok STATUS DESCRIPTION [DIAGNOSTIC]
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        fails=$((fails + 1))
        [ -n "${3:-}" ] && printf '%s\n' "$3" | head -n 5 | sed 's/^/# /'
    fi
}
skip() {
    n=$((n + 1))
    echo "ok $n # SKIP $1"
}

# Compress stdin to stdout the way Linux builds bzImage payloads.
compress() {
    case $1 in
    gzip) gzip -9 -n -c ;;
    bzip2) bzip2 -9 -c ;;
    lzma) lzma -6 -c ;;
    xz) xz --check=crc32 --x86 --lzma2=preset=6,dict=4MiB -c ;;
    lz4) lz4 -l -9 -c ;;  # legacy frame format, as Linux uses
    lz4f) lz4 -9 -c ;;    # the default frame format
    zstd) zstd -19 -q -c ;;
    esac
}
decompress() {
    case $1 in
    gzip) gzip -dc ;;
    bzip2) bzip2 -dc ;;
    lzma) lzma -dc ;;
    xz) xz --single-stream -dc ;;
    lz4 | lz4f) lz4 -dc ;;
    zstd) zstd -q -dc ;;
    esac
}

ELF=$W/kernel.elf
"$TOOL" mkelf "$ELF" 1000000 7 || exit 1
size=$(stat -c %s "$ELF")
# One ELF big enough for several lz4 blocks (8 MiB each).
BIG=$W/big.elf
"$TOOL" mkelf "$BIG" 17000000 11 || exit 1
bigsize=$(stat -c %s "$BIG")

for fmt in gzip bzip2 lzma xz lz4 zstd; do
    if ! command -v "${fmt%f}" >/dev/null; then
        skip "$fmt: tool not installed"
        continue
    fi
    p=$W/payload.$fmt
    compress $fmt <"$ELF" >"$p"
    decompress $fmt <"$p" >"$W/ref.$fmt"
    "$TOOL" bzimage "$p" "$size" "$W/bz.$fmt"
    got=$("$TOOL" probe "$W/bz.$fmt")
    [ "$got" = "bzImage $fmt" ] || [ "$got" = "bzImage lz4 (legacy)" ]
    ok $? "$fmt: bzImage detected ($got)"
    err=$("$TOOL" unpack "$W/bz.$fmt" "$W/out.$fmt" 2>&1)
    ok $? "$fmt: bzImage payload unpacks" "$err"
    cmp -s "$W/out.$fmt" "$W/ref.$fmt" && cmp -s "$W/out.$fmt" "$ELF"
    ok $? "$fmt: same bytes as the Debian tool's '-d' output"

    # The same data as a compressed ELF file (vmlinux.xz and the like).
    cf=$fmt
    [ $fmt = lz4 ] && cf=lz4f
    compress $cf <"$ELF" >"$W/celf.$fmt"
    err=$("$TOOL" unpack "$W/celf.$fmt" "$W/cout.$fmt" 2>&1)
    ok $? "$cf: compressed ELF unpacks" "$err"
    decompress $cf <"$W/celf.$fmt" | cmp -s - "$W/cout.$fmt"
    ok $? "$cf: compressed ELF gives the same bytes as the tool"

    # Cut in half: a clear error naming the format, never a crash.
    head -c $(($(stat -c %s "$p") / 2)) "$p" >"$W/half.$fmt"
    "$TOOL" bzimage "$W/half.$fmt" "$size" "$W/bzhalf.$fmt"
    err=$("$TOOL" unpack "$W/bzhalf.$fmt" "$W/bad.$fmt" 2>&1)
    rc=$?
    [ $rc = 1 ] && case $err in *"${fmt}"*) true ;; *) false ;; esac
    ok $? "$fmt: truncated payload refused: ${err##*: }" "rc=$rc $err"
done

# Damage inside data that carries a checksum: must be refused.
for fmt in gzip bzip2 xz zstd; do
    cp "$W/bz.$fmt" "$W/dmg.$fmt" 2>/dev/null || continue
    off=$((1024 + 64 + $(stat -c %s "$W/payload.$fmt") / 2))
    printf '\377\000\377\000\377\000\377\000' |
        dd of="$W/dmg.$fmt" bs=1 seek=$off conv=notrunc status=none
    err=$("$TOOL" unpack "$W/dmg.$fmt" "$W/bad.$fmt" 2>&1)
    rc=$?
    [ $rc = 1 ]
    ok $? "$fmt: damaged payload refused: ${err#*: }" "rc=$rc $err"
done

# A header asking for a huge dictionary is refused before liblzma
# allocates it (it used to take the memory any header asked for).
if command -v xz >/dev/null; then
    printf 'tiny' | xz --check=crc32 --lzma2=dict=1536MiB -c >"$W/hugedict.xz"
    "$TOOL" bzimage "$W/hugedict.xz" 4 "$W/bzhuge.xz"
    err=$("$TOOL" unpack "$W/bzhuge.xz" "$W/bad" 2>&1)
    rc=$?
    [ $rc = 1 ] && case $err in *"needs more than"*) true ;; *) false ;; esac
    ok $? "xz: a 1.5 GiB dictionary header is refused: ${err##*: }" \
        "rc=$rc $err"
fi

# Several legacy lz4 blocks, and the size trailer after the last one.
if command -v lz4 >/dev/null; then
    compress lz4 <"$BIG" >"$W/big.lz4"
    "$TOOL" bzimage "$W/big.lz4" "$bigsize" "$W/bzbig.lz4"
    "$TOOL" unpack "$W/bzbig.lz4" "$W/bigout" && cmp -s "$W/bigout" "$BIG"
    ok $? "lz4: multi-block legacy payload (17 MB) unpacks exactly"
fi

# A wrong size trailer is caught (Linux appends the unpacked size).
"$TOOL" bzimage "$W/payload.gzip" $((size + 1)) "$W/bzsize.gzip"
err=$("$TOOL" unpack "$W/bzsize.gzip" "$W/bad" 2>&1)
[ $? = 1 ]
ok $? "gzip: trailer size mismatch refused: ${err#*: }" "$err"

# Not a kernel at all, and a plain ELF: nothing to do (exit 3).
head -c 4096 /dev/urandom >"$W/noise"
printf 'plain text' >>"$W/noise"
"$TOOL" unpack "$W/noise" "$W/bad" 2>/dev/null
ok $(($? != 3)) "random bytes: not a bzImage or compressed ELF"
"$TOOL" unpack "$ELF" "$W/bad" 2>/dev/null
ok $(($? != 3)) "plain ELF: nothing to unpack"

# A compressed file that does not hold an ELF is refused.
gzip -c <"$W/noise" >"$W/noise.gz"
err=$("$TOOL" unpack "$W/noise.gz" "$W/bad" 2>&1)
[ $? = 1 ]
ok $? "gzip of non-ELF refused: ${err#*: }" "$err"

# SHA-256 against coreutils, across the padding boundaries.
for len in 0 1 55 56 63 64 65 119 120 1000; do
    head -c "$len" "$ELF" >"$W/h"
    [ "$("$TOOL" sha256 "$W/h")" = "$(sha256sum <"$W/h" | cut -d' ' -f1)" ]
    ok $? "sha256 of $len bytes matches sha256sum"
done
[ "$("$TOOL" sha256 "$BIG")" = "$(sha256sum <"$BIG" | cut -d' ' -f1)" ]
ok $? "sha256 of 17 MB matches sha256sum"

# Debian's own kernel, when this host has one (or the lab has fetched one).
found=0
for k in /boot/vmlinuz-* "${XDG_CACHE_HOME:-$HOME/.cache}"/xl-toolstack-lab/*/vmlinuz; do
    [ -r "$k" ] || continue
    found=1
    kind=$("$TOOL" probe "$k")
    fmt=${kind#bzImage }
    case $kind in
    "bzImage "*) ;;
    *)
        skip "$k is not a bzImage ($kind)"
        continue
        ;;
    esac
    [ "$fmt" = "lz4 (legacy)" ] && fmt=lz4
    "$TOOL" payload "$k" "$W/real.payload"
    if ! decompress "$fmt" <"$W/real.payload" >"$W/real.ref" 2>/dev/null; then
        skip "$k: no Debian tool for a $fmt payload"
        continue
    fi
    err=$("$TOOL" unpack "$k" "$W/real.out" 2>&1)
    ok $? "$k ($kind) unpacks" "$err"
    cmp -s "$W/real.out" "$W/real.ref"
    ok $? "$k: same bytes as '$fmt -d' of its payload"
    break
done
[ $found = 1 ] || skip "no /boot/vmlinuz-* (nor a lab kernel) on this host"

echo "1..$n"
[ $fails = 0 ]
