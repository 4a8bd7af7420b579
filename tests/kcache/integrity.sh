#!/bin/bash
# TAP: a cache entry whose bytes were changed after it was written is never
# a hit (issue 15 item 12): the hash of its content recorded at write time
# is checked on the slow path (xl_kcache_get) and, on the fast path, in the
# thread that create finishes before unpausing (xl_kcache_check_finish);
# the damaged entry is removed and the next lookup unpacks it afresh. An
# entry of the older format (no recorded hash) is unpacked again, never
# trusted.
set -uo pipefail
BUILD=${top_builddir:-.}
TOOL=$BUILD/tests/kcache/kcache_tool
W=$(mktemp -d /tmp/kcache-integrity.XXXXXX)
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

# flip4 FILE: change 4 bytes in the middle of the segment data (not the
# ELF headers, so the structural check alone would still pass).
flip4() {
    local off=$(($(stat -c %s "$1") / 2))
    printf '\125\252\125\252' | dd of="$1" bs=1 seek=$off conv=notrunc status=none
}

"$TOOL" mkelf "$W/kernel.elf" 400000 5 || exit 1
gzip -9 -n -c <"$W/kernel.elf" >"$W/payload"
"$TOOL" bzimage "$W/payload" "$(stat -c %s "$W/kernel.elf")" "$W/vmlinuz"
C=$W/cache
K=$W/vmlinuz

out=$("$TOOL" get "$K" "$C" 2>"$W/why")
has "$(cat "$W/why")" "cache miss"
ok $? "first lookup unpacks" "$(cat "$W/why")"
entry=$out
key=$(basename "$entry" .elf)
[ -f "$C/$key.sha256" ] &&
    [ "$(cat "$C/$key.sha256")" = "$(sha256sum <"$entry" | cut -d' ' -f1)" ]
ok $? "the entry's content hash is recorded at write time"
cmp -s "$entry" "$W/kernel.elf"
ok $? "the entry is the unpacked kernel"

"$TOOL" get "$K" "$C" >/dev/null 2>"$W/why"
has "$(cat "$W/why")" "cache hit"
ok $? "second lookup is a hit" "$(cat "$W/why")"

# Slow path: 4 bytes changed in the data.
flip4 "$entry"
"$TOOL" get "$K" "$C" >/dev/null 2>"$W/why"
why=$(cat "$W/why")
has "$why" "cache miss" && has "$why" "bad entry discarded and rebuilt" &&
    has "$why" "damaged"
ok $? "damaged entry is not a hit (slow path): ${why##*rebuilt: }" "$why"
cmp -s "$entry" "$W/kernel.elf"
ok $? "the damaged entry was replaced by a fresh unpack"

# Fast path: the index knows the file, so the entry is handed out at once
# and its bytes are checked beside the (simulated) build.
"$TOOL" getd "$K" "$C" >/dev/null 2>"$W/why"
why=$(cat "$W/why")
has "$why" "deferred: yes" && has "$why" "check: ok"
ok $? "intact entry: deferred hit, check passes" "$why"
flip4 "$entry"
"$TOOL" getd "$K" "$C" >/dev/null 2>"$W/why"
rc=$?
why=$(cat "$W/why")
[ $rc = 4 ] && has "$why" "deferred: yes" && has "$why" "is damaged"
ok $? "damaged entry: the deferred check fails before unpause (rc=$rc)" "$why"
[ ! -e "$entry" ] && [ ! -e "$C/$key.sha256" ]
ok $? "the damaged entry was removed"
"$TOOL" getd "$K" "$C" >/dev/null 2>"$W/why"
why=$(cat "$W/why")
has "$why" "deferred: no" && has "$why" "cache miss"
ok $? "the next lookup unpacks afresh" "$why"
cmp -s "$entry" "$W/kernel.elf"
ok $? "and the entry is good again"

# The older format (no recorded hash) is never trusted.
rm -f "$C/$key.sha256"
"$TOOL" getd "$K" "$C" >/dev/null 2>"$W/why"
why=$(cat "$W/why")
has "$why" "deferred: no" && has "$why" "older cache format"
ok $? "entry without a content hash is unpacked again" "$why"
[ -f "$C/$key.sha256" ]
ok $? "and gets its content hash"

# A garbled hash file is not trusted either.
echo nonsense >"$C/$key.sha256"
"$TOOL" get "$K" "$C" >/dev/null 2>"$W/why"
has "$(cat "$W/why")" "bad entry discarded"
ok $? "entry with a garbled hash file is unpacked again" "$(cat "$W/why")"

# clear removes entries with their hash files, and hash files left alone.
"$TOOL" get "$K" "$C" >/dev/null 2>&1
rm -f "$entry"
"$TOOL" clear "$C" >/dev/null
[ -z "$(find "$C" -name '*.sha256' -o -name '*.elf')" ]
ok $? "clear removes a hash file whose entry is gone"

echo "1..$n"
[ $fails = 0 ]
