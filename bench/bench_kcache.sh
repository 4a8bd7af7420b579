#!/bin/bash
# bench_kcache.sh: what the kernel cache saves, natively and in the lab.
#
#   bench/bench_kcache.sh [KERNEL]     time, on this host, unpacking KERNEL's
#       payload with Debian's tool, our cache miss (hash + unpack + write)
#       and our cache hit (hash + entry check). KERNEL defaults to the lab's
#       guest kernel or /boot/vmlinuz-*. Needs a build: BUILD (default .)
#       must hold tests/kcache/kcache_tool (`make check` builds it).
#   bench/bench_kcache.sh --lab FILE   summarise a lab run's
#       kcache-bench.txt (tests/lab/scenarios/50-kcache.sh) as the
#       Markdown table kept in BENCHMARKS.md.
set -euo pipefail

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

if [ "${1:-}" = --lab ]; then
    f=${2:?usage: bench_kcache.sh --lab FILE}
    deb=$(awk '$1 == "debian" {$1 = ""; print}' "$f")
    off=$(awk '$1 == "ours-cache-off" {$1 = ""; print}' "$f")
    on=$(awk '$1 == "ours-cache-on" {$1 = ""; print}' "$f")
    md=$(echo "$deb" | median)
    echo "| xl create -p (128 MiB PV, Debian kernel) | runs, ms | median ms | ours/Debian |"
    echo "|---|---|---|---|"
    for row in "Debian's xl|$deb" "ours, cache off|$off" "ours, cache on (1st = miss)|$on"; do
        label=${row%%|*}
        runs=${row#*|}
        m=$(echo "$runs" | median)
        r=$(awk -v a="$m" -v b="$md" 'BEGIN { printf "%.2f", a / b }')
        echo "| $label |$runs | $m | $r |"
    done
    exit 0
fi

BUILD=${BUILD:-.}
TOOL=$BUILD/tests/kcache/kcache_tool
[ -x "$TOOL" ] || {
    echo "bench_kcache.sh: $TOOL not built (run make check, or set BUILD)" >&2
    exit 1
}
k=${1:-}
if [ -z "$k" ]; then
    for c in "${XDG_CACHE_HOME:-$HOME/.cache}"/xl-toolstack-lab/*/vmlinuz /boot/vmlinuz-*; do
        [ -r "$c" ] && k=$c
    done
fi
if [ -z "$k" ] || [ ! -r "$k" ]; then
    echo "bench_kcache.sh: no kernel given and none found" >&2
    exit 1
fi
W=$(mktemp -d /tmp/bench-kcache.XXXXXX)
trap 'rm -rf "$W"' EXIT
ms() { echo $(($(date +%s%N) / 1000000)); }

kind=$("$TOOL" probe "$k")
echo "kernel: $k ($(stat -c %s "$k") bytes, $kind)"
fmt=${kind#bzImage }
if [ "$kind" != "$fmt" ] && [ "$fmt" = xz ]; then
    "$TOOL" payload "$k" "$W/payload"
    t0=$(ms)
    xz --single-stream -dc <"$W/payload" >"$W/ref"
    echo "xz -d of the payload (what every Debian create pays): $(($(ms) - t0)) ms"
fi
t0=$(ms)
"$TOOL" get "$k" "$W/cache" >/dev/null 2>&1
echo "cache miss (hash, unpack, verify, write): $(($(ms) - t0)) ms"
hits=""
for _ in 1 2 3 4 5; do
    t0=$(ms)
    "$TOOL" get "$k" "$W/cache" >/dev/null 2>&1
    hits="$hits $(($(ms) - t0))"
done
echo "cache hit x5 (hash, check entry), ms:$hits (median $(echo "$hits" | median))"
