#!/bin/bash
# TAP: a kernel whose unpack hits the output cap or a decoder's memory limit
# (a decompression bomb) is remembered as a negative entry keyed by its
# content hash (issue 15 item 13): the next lookup of the same bytes hands
# libxl the kernel as it is at once, without unpacking; other bytes, and a
# higher cap, are not affected; list shows and clear removes it.
set -uo pipefail
BUILD=${top_builddir:-.}
TOOL=$BUILD/tests/kcache/kcache_tool
W=$(mktemp -d /tmp/kcache-negative.XXXXXX)
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
has() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
C=$W/cache
CAP=$((1 << 20))

# 8 MiB of zeros, gzip'd (8 KiB): over a 1 MiB output cap.
head -c $((8 << 20)) /dev/zero | gzip -9 -n -c >"$W/bomb.gz"
B=$W/bomb.gz
key=$("$TOOL" sha256 "$B")

out=$("$TOOL" get "$B" "$C" $CAP 2>"$W/why")
why=$(cat "$W/why")
[ "$out" = "$B" ] && has "$why" "more than" && has "$why" "negative entry"
ok $? "a bomb over the output cap is refused and remembered" "$out $why"
[ -f "$C/$key.neg" ] && [ ! -e "$C/$key.elf" ]
ok $? "the negative entry is keyed by the source's content hash"

out=$("$TOOL" get "$B" "$C" $CAP 2>"$W/why")
why=$(cat "$W/why")
[ "$out" = "$B" ] && has "$why" "refused before"
ok $? "the same bytes again: the original at once, no unpack" "$why"

# A copy under another name is the same content: also refused at once.
cp "$B" "$W/copy.gz"
"$TOOL" get "$W/copy.gz" "$C" $CAP >/dev/null 2>"$W/why"
has "$(cat "$W/why")" "refused before"
ok $? "the same bytes under another name are refused at once" "$(cat "$W/why")"

# A good kernel is still cached (other bytes, other key).
"$TOOL" mkelf "$W/kernel.elf" 300000 9 || exit 1
gzip -9 -n -c <"$W/kernel.elf" >"$W/payload"
"$TOOL" bzimage "$W/payload" "$(stat -c %s "$W/kernel.elf")" "$W/vmlinuz"
out=$("$TOOL" get "$W/vmlinuz" "$C" $CAP 2>"$W/why")
has "$(cat "$W/why")" "cache miss" && cmp -s "$out" "$W/kernel.elf"
ok $? "a good kernel is cached beside a negative entry" "$(cat "$W/why")"

list=$("$TOOL" list "$C")
has "$list" "$key refused 0 $B | " && has "$list" " entry 300000 $W/vmlinuz"
ok $? "list shows the entry and the refused kernel with its reason" "$list"

# A decoder's memory limit (a header asking for a huge window) counts too.
if command -v zstd >/dev/null; then
    printf 'tiny' | zstd -q --long=31 -c >"$W/wide.zst"
    "$TOOL" get "$W/wide.zst" "$C" >/dev/null 2>"$W/why"
    why=$(cat "$W/why")
    has "$why" "needs more than 128 MiB" && has "$why" "negative entry"
    ok $? "zstd window over the limit: refused and remembered" "$why"
    "$TOOL" get "$W/wide.zst" "$C" >/dev/null 2>"$W/why"
    has "$(cat "$W/why")" "refused before"
    ok $? "zstd window over the limit: refused at once the next time"
fi

# A higher cap than the one that refused it: tried again.
"$TOOL" get "$B" "$C" $((16 << 20)) >/dev/null 2>"$W/why"
why=$(cat "$W/why")
! has "$why" "refused before" && has "$why" "usable ELF" &&
    [ ! -e "$C/$key.neg" ]
ok $? "with a higher cap the negative entry no longer applies" "$why"
"$TOOL" get "$B" "$C" $CAP >/dev/null 2>&1

# clear removes entries and negative entries.
want=1
[ -e "$W/wide.zst" ] && want=2
out=$("$TOOL" clear "$C")
[ "$out" = "removed 1 refused $want" ] &&
    [ -z "$(find "$C" -name '*.neg' -o -name '*.elf')" ]
ok $? "clear removes the entry and the negative entries ($out)" "$out"
"$TOOL" get "$B" "$C" $CAP >/dev/null 2>"$W/why"
has "$(cat "$W/why")" "negative entry" && ! has "$(cat "$W/why")" "before"
ok $? "after clear the bomb is unpacked (and refused) again"

echo "1..$n"
[ $fails = 0 ]
