#!/bin/bash
# bench_hash.sh: the kernel cache's SHA-256 now (xl/khash.c, nettle) against
# the hand-written one it replaced, on this host.
#
#   bench/bench_hash.sh [REV [MIB [ROUNDS [RUNS]]]]
#
# Builds bench/bench_sha256.c twice with gcc -O2 in a temporary directory:
# against this tree's xl/khash.c, and against xl/kcache.c, kcache.h and
# fdio.[ch] as they were at REV (default 44e066b, the last commit with the
# hand-written hash; taken from git history, never kept in the tree).
# Then RUNS (default 5) alternating runs of each, every run hashing one
# MIB (default 64) MiB buffer ROUNDS (default 5) times; prints every run's
# best time, the medians and the ratio before/after (above 1: nettle is
# faster). Both must print the same digest. Run it from the source tree on
# a quiet machine.
set -euo pipefail

rev=${1:-44e066b}
mib=${2:-64}
rounds=${3:-5}
runs=${4:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/before"
for f in kcache.c kcache.h fdio.c fdio.h; do
    git -C "$top" show "$rev:xl/$f" >"$tmp/before/$f"
done
# bench_sha256.c includes khash.h; at REV the hash was declared in kcache.h.
echo '#include "kcache.h"' >"$tmp/before/khash.h"
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
gcc -std=c11 -D_GNU_SOURCE -O2 -I"$tmp/before" -o "$tmp/bench_before" \
    "$top/bench/bench_sha256.c" "$tmp/before/kcache.c" "$tmp/before/fdio.c" \
    $(pkg-config --cflags --libs liblzma zlib libzstd liblz4) -lbz2 -lpthread
# shellcheck disable=SC2046
gcc -std=c11 -D_GNU_SOURCE -O2 -I"$top/xl" -o "$tmp/bench_after" \
    "$top/bench/bench_sha256.c" "$top/xl/khash.c" \
    $(pkg-config --cflags --libs nettle)

best() { sed -n 's/.*best \([0-9.]*\) ms.*/\1/p'; }
digest() { sed -n 's/.*digest \([0-9a-f]*\)$/\1/p'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

b_all="" a_all="" b_d="" a_d=""
for _ in $(seq "$runs"); do
    out=$("$tmp/bench_before" "$mib" "$rounds")
    b_all="$b_all $(echo "$out" | best)"
    b_d=$(echo "$out" | digest)
    out=$("$tmp/bench_after" "$mib" "$rounds")
    a_all="$a_all $(echo "$out" | best)"
    a_d=$(echo "$out" | digest)
done
if [ "$b_d" != "$a_d" ]; then
    echo "bench_hash: digests differ: $b_d (before) $a_d (after)" >&2
    exit 1
fi
b=$(echo "$b_all" | median)
a=$(echo "$a_all" | median)
echo "sha256 of $mib MiB, best of $rounds per run, $runs runs; ms:"
echo "  before ($rev, hand-written):$b_all  median $b"
echo "  after (nettle $(pkg-config --modversion nettle)):$a_all  median $a"
awk -v b="$b" -v a="$a" -v m="$mib" 'BEGIN {
    printf "  MiB/s: before %.0f, after %.0f; ratio before/after %.2f\n",
        m / (b / 1000), m / (a / 1000), b / a }'
