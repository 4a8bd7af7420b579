#!/bin/bash
# 50-kcache: the decompressed-kernel cache makes `xl create` faster than
# Debian's xl, and the guest still boots.
# The same PV config is created paused 5 times with Debian's xl, with ours
# with the cache off (xl.conf kernel_cache=0) and on; the cache entry must
# be the kernel's payload as Debian's xz unpacks it; PV and PVH guests
# created from the cache print their banner; an entry with 4 bytes of data
# changed never runs and is rebuilt; a cache under a world-writable parent
# is refused. Timings go to
# $XLAB_OUT/kcache-bench.txt (bench/bench_kcache.sh summarises them).
# lab-timeout: 1500
# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"
have_ours || skip_all "our xl is not installed"

RUNS=${KCACHE_RUNS:-5}
CACHE=/var/cache/xl/kernels
XLCONF=/etc/xen/xl.conf
BENCH=$XLAB_OUT/kcache-bench.txt
rm -rf "$CACHE"
cp "$XLCONF" "$XLAB_WORK/xl.conf.orig" 2>/dev/null || : >"$XLAB_WORK/xl.conf.orig"
restore_conf() { cp "$XLAB_WORK/xl.conf.orig" "$XLCONF"; }
trap restore_conf EXIT

# time_create XL CFG NAME: ms for `XL create -p CFG`, the domain destroyed
# afterwards by Debian's xl; prints -1 on failure.
time_create() {
    local t0 t1 rc
    t0=$(now_ms)
    timeout 120 "$1" create -p "$2" >"$XLAB_WORK/create.out" 2>&1
    rc=$?
    t1=$(now_ms)
    if [ $rc != 0 ] || ! domain_exists "$3"; then
        sed 's/^/#   /' "$XLAB_WORK/create.out" >&2
        echo -1
    else
        echo $((t1 - t0))
    fi
    timeout 60 "$DEBXL" destroy "$3" >/dev/null 2>&1
    wait_gone "$3" 30
}

# series LABEL XL: RUNS timed creates; prints the times, space-separated.
series() {
    local t out=""
    for _ in $(seq 1 "$RUNS"); do
        t=$(time_create "$2" "$cfg" k50)
        out="$out $t"
    done
    echo "$1$out" >>"$BENCH"
    echo "${out# }"
}

median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cfg=$(guest_cfg k50 pv)
cp "$cfg" "$XLAB_OUT/"
diag "guest kernel: $GUEST_KERNEL ($(stat -c %s "$GUEST_KERNEL") bytes)"
: >"$BENCH"

# 1. Debian's xl, ours with the cache off, ours with the cache on.
deb=$(series debian "$DEBXL")
echo "kernel_cache = 0" >>"$XLCONF"
off=$(series ours-cache-off "$XL")
is "$(find "$CACHE" -name '*.elf' 2>/dev/null | grep -c .)" 0 \
    "with xl.conf kernel_cache=0 nothing is cached"
restore_conf
on=$(series ours-cache-on "$XL")
diag "xl create -p, ms: debian: $deb | ours, cache off: $off | ours, cache on: $on"
unlike "$deb $off $on" '(^| )-1( |$)' "all $((3 * RUNS)) creates succeeded"

# 2. What is in the cache: one entry, the kernel's payload unpacked.
entries=$(find "$CACHE" -maxdepth 1 -name '*.elf' 2>/dev/null)
is "$(printf '%s\n' "$entries" | grep -c .)" 1 "one cache entry for the kernel"
is "$(stat -c %a "$CACHE" 2>/dev/null)" 700 "the cache directory is mode 0700"
key=$(sha256sum <"$GUEST_KERNEL" | cut -d' ' -f1)
is "$(basename "$entries")" "$key.elf" "the entry is keyed by the kernel's SHA-256"
u8() { od -An -tu1 -j "$1" -N1 "$GUEST_KERNEL" | tr -d ' '; }
u32() { od -An -tu4 -j "$1" -N4 "$GUEST_KERNEL" | tr -d ' '; }
setup=$(u8 $((0x1f1)))
[ "$setup" = 0 ] && setup=4
start=$(((setup + 1) * 512 + $(u32 $((0x248)))))
plen=$(u32 $((0x24c)))
if command -v xz >/dev/null; then
    tail -c +$((start + 1)) "$GUEST_KERNEL" | head -c $((plen - 4)) |
        xz --single-stream -dc >"$XLAB_WORK/ref.elf" 2>/dev/null
    if cmp -s "$XLAB_WORK/ref.elf" "$entries"; then
        pass "the entry is byte-identical to xz -d of the bzImage payload"
    else
        fail "the entry is byte-identical to xz -d of the bzImage payload"
        diag "entry $(stat -c %s "$entries" 2>/dev/null) bytes, xz gives $(stat -c %s "$XLAB_WORK/ref.elf") bytes"
    fi
else
    skip "entry matches xz -d of the payload" "xz not installed in dom0"
fi

# 3. The verbose note says hit; the stored config keeps the user's kernel
# path (as Debian's xl has it); with the file changed, a new entry.
note=$("$XL" -v create -p "$cfg" 2>&1 | grep 'kernel cache')
stored=$("$DEBXL" list -l k50 2>/dev/null | grep '"kernel"')
like "$stored" "\"kernel\": \"$GUEST_KERNEL\"" "xl list -l shows the config's kernel, not the cache entry"
timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
wait_gone k50 30
like "$note" 'cache hit' "xl -v create says 'kernel cache: cache hit'"
like "$note" 'checked while the domain is built' \
    "a known kernel's hash is checked beside the domain build"
cp "$GUEST_KERNEL" "$XLAB_WORK/vmlinuz-copy"
printf 'x' >>"$XLAB_WORK/vmlinuz-copy" # same kernel, one byte more
cfg2=$(guest_cfg k50 pv "kernel = \"$XLAB_WORK/vmlinuz-copy\"")
note=$("$XL" -v create -p "$cfg2" 2>&1 | grep 'kernel cache')
timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
wait_gone k50 30
like "$note" 'cache miss' "a kernel with different content is unpacked anew"

# 3b. Content changed behind an unchanged size, mtime and inode: the
# entry the index pointed at was handed to libxl, but the hash computed
# beside the build no longer matches, so that domain never runs: it is
# destroyed and built again from the file's current content.
stale=$XLAB_WORK/vmlinuz-stale
cp "$GUEST_KERNEL" "$stale"
cfg3=$(guest_cfg k50 pv "kernel = \"$stale\"")
timeout 120 "$XL" create -p "$cfg3" >/dev/null 2>&1
timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
wait_gone k50 30
# The kernel version string in the real-mode setup code (its offset at
# 0x20e, relative to 0x200): no PV or PVH boot reads it.
kvoff=$(od -An -tu2 -j $((0x20e)) -N2 "$stale" | tr -d ' ')
msgoff=$((kvoff + 0x200))
if [ "$kvoff" -gt 0 ] && od -An -c -j "$msgoff" -N1 "$stale" | grep -q '[0-9]'; then
    touch -r "$stale" "$XLAB_WORK/stamp"
    printf 'X' | dd of="$stale" bs=1 seek="$msgoff" conv=notrunc status=none
    touch -r "$XLAB_WORK/stamp" "$stale"
    out=$(timeout 120 "$XL" -v create -p "$cfg3" 2>&1)
    rc=$?
    is "$rc" 0 "create succeeds after the kernel changed under the same size and mtime"
    like "$out" "changed on disk.*building domain 'k50' again" \
        "xl says the kernel changed and builds the domain again"
    newkey=$(sha256sum <"$stale" | cut -d' ' -f1)
    ok "the rebuilt domain got an entry keyed by the new content" \
        test -f "$CACHE/$newkey.elf"
    ok "the domain exists once, paused" domain_exists k50
    is "$("$DEBXL" list 2>/dev/null | grep -c '^k50 ')" 1 "exactly one k50 domain"
    timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
    wait_gone k50 30
    rm -f "$CACHE/$newkey.elf"
else
    skip "create after the kernel changed under the same size and mtime" \
        "no kernel version string in this bzImage to change harmlessly"
fi

# 4. Corrupt entry: discarded and rebuilt, and the guest still boots.
esize=$(stat -c %s "$entries")
truncate -s 1000000 "$entries"
cfgrun=$(guest_cfg k50run pv)
ok "our xl creates a PV guest after the entry was damaged" timeout 120 "$XL" create "$cfgrun"
ok "the PV guest from the cached kernel prints its banner" \
    wait_console k50run "$GUEST_BANNER" 120
like "$(cat "$(console_log k50run)" 2>/dev/null)" "$GUEST_BANNER .*type=PV" \
    "banner says type=PV"
is "$(stat -c %s "$entries")" "$esize" "the damaged entry was rebuilt"
wait_gone k50run 90
cfgpvh=$(guest_cfg k50pvh pvh)
ok "our xl creates a PVH guest from the cached kernel" timeout 120 "$XL" create "$cfgpvh"
wait_console k50pvh "$GUEST_BANNER" 120
like "$(cat "$(console_log k50pvh)" 2>/dev/null)" "$GUEST_BANNER .*type=PVH" \
    "the PVH guest prints its banner"
wait_gone k50pvh 90

# 4b. Damaged data, headers intact (issue 15 item 12): 4 bytes changed in
# the middle of the entry. The index still knows the kernel, so the entry
# is handed to libxl at once; the content hash checked beside the build
# fails, so the paused domain is destroyed (it never runs the damaged
# kernel) and built again from a fresh unpack.
# (3b's guest_cfg k50 rewrote k50.cfg with the changed copy: back to the
# lab kernel, whose entry this is.)
cfg=$(guest_cfg k50 pv)
cp "$entries" "$XLAB_WORK/good.elf"
esize=$(stat -c %s "$entries")
printf '\125\252\125\252' |
    dd of="$entries" bs=1 seek=$((esize / 2)) conv=notrunc status=none
out=$(timeout 120 "$XL" -v create -p "$cfg" 2>&1)
rc=$?
is "$rc" 0 "create succeeds after 4 bytes of the entry's data changed"
like "$out" "is damaged.*building domain 'k50' again" \
    "xl says the entry is damaged and builds the domain again"
is "$("$DEBXL" list 2>/dev/null | grep -c '^k50 ')" 1 "exactly one k50 domain"
timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
wait_gone k50 30
ok "the damaged entry was replaced by a fresh unpack" \
    cmp -s "$XLAB_WORK/good.elf" "$entries"
note=$("$XL" -v create -p "$cfg" 2>&1 | grep 'kernel cache')
timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
wait_gone k50 30
like "$note" 'cache hit' "the repaired entry is a hit again"

# 4c. A cache directory under a parent others can write (issue 15 item
# 14): not used (the original kernel goes to libxl), the note and
# `xl kernel-cache` name the unsafe directory.
open=/tmp/k50open
rm -rf "$open"
mkdir -p "$open/cache"
chmod 700 "$open/cache"
chmod 777 "$open"
echo "kernel_cache_dir = \"$open/cache\"" >>"$XLCONF"
out=$(timeout 120 "$XL" -v create -p "$cfg" 2>&1)
rc=$?
is "$rc" 0 "create succeeds with an unsafe kernel_cache_dir (cache unused)"
like "$out" "not cached: unsafe ancestor $open: writable by group or others" \
    "xl -v create names the unsafe ancestor"
is "$(find "$open" -name '*.elf' | grep -c .)" 0 "nothing cached there"
timeout 60 "$DEBXL" destroy k50 >/dev/null 2>&1
wait_gone k50 30
if has_command "$XL" kernel-cache; then
    out=$("$XL" kernel-cache list 2>&1)
    rc=$?
    is "$rc" 1 "xl kernel-cache list refuses the unsafe cache"
    like "$out" "not safe: unsafe ancestor $open" "and names the ancestor"
fi
restore_conf
rm -rf "$open"

# 5. The command to look at and clear the cache.
if has_command "$XL" kernel-cache; then
    out=$("$XL" kernel-cache list 2>&1)
    like "$out" "${key:0:16} .* $GUEST_KERNEL" "xl kernel-cache list shows the entry and its kernel"
    ok "xl kernel-cache clear" "$XL" kernel-cache clear
    is "$(find "$CACHE" -name '*.elf' | grep -c .)" 0 "the cache is empty after clear"
else
    skip "xl kernel-cache list" "not in our xl's command table yet"
    skip "xl kernel-cache clear" "not in our xl's command table yet"
    skip "the cache is empty after clear" "not in our xl's command table yet"
fi

# 6. The figures for BENCHMARKS.md (goal: ours with the cache at most a
# quarter of Debian's time). Performance is a benchmark, not a test: the
# ratio is recorded, only the measurement itself must have worked.
md=$(echo "$deb" | median)
mon=$(echo "$on" | median)
moff=$(echo "$off" | median)
echo "median debian=$md off=$moff on=$mon" >>"$BENCH"
ratio=$(awk -v a="$mon" -v b="$md" 'BEGIN { printf "%.2f", a / b }')
diag "median create -p: debian ${md} ms, ours off ${moff} ms, ours on ${mon} ms; ratio on/debian $ratio"
echo "ratio on/debian $ratio" >>"$BENCH"
ok "create -p timed 5x each with Debian's xl, ours, ours cached (ratio $ratio)" \
    test -n "$md" -a -n "$moff" -a -n "$mon" -a "$md" != 0

# 7. Creation time as domains accumulate (1, 20, 40 running domains, as
# many as memory allows) and `xl list -l` at 30 domains, ours vs Debian's.
# Background guests: paused, 96 MiB (the smallest this kernel builds in).
# Long (dozens of creates): only with KCACHE_SCALE=1 (e.g. in
# `lab.sh shell`), so the default run stays within the lab's time limit.
if [ "${KCACHE_SCALE:-0}" != 1 ]; then
    skip "create time flat in the number of domains" "set KCACHE_SCALE=1"
    cleanup_domains
    done_testing
fi
bgcfg=$(guest_cfg kbg pv 'memory = 96')
nbg=0
add_bg() { # add_bg TOTAL: create paused guests until TOTAL exist
    while [ "$nbg" -lt "$1" ]; do
        nbg=$((nbg + 1))
        timeout 120 "$XL" create -p -e "$bgcfg" "name=\"kbg$nbg\"" \
            >/dev/null 2>&1 || return 1
    done
}
free_mb=$("$DEBXL" info 2>/dev/null | awk '$1 == "free_memory" {print $3}')
max_bg=$(((free_mb - 200) / 96 - 1))
diag "free memory ${free_mb} MiB: room for $max_bg background guests"
# Section 5 emptied the cache: warm it. Debian's xl also gets a series
# with the very same unpacked kernel (a copy of the entry), so that both
# toolstacks build the same image and its variance (the xz unpack) does
# not hide how libxl/Xen themselves scale.
time_create "$XL" "$cfg" k50 >/dev/null
elf=$(find "$CACHE" -name '*.elf' | head -n 1)
cp "$elf" "$XLAB_WORK/vmlinux.elf"
cfgelf=$XLAB_WORK/k50-elf.cfg
sed "s|^kernel = .*|kernel = \"$XLAB_WORK/vmlinux.elf\"|" "$cfg" >"$cfgelf"
scale=""
scale_elf=""
for level in 1 20 40; do
    want=$((level - 1))
    if [ "$want" -gt "$max_bg" ]; then
        diag "skipping $level domains: not enough memory"
        continue
    fi
    add_bg "$want" || {
        diag "creating background guest $nbg failed"
        break
    }
    if [ "$level" = 1 ]; then
        # list -l with no guest but dom0 and the one being measured
        # below: the base the 30-domain figure is compared with
        lo=$(time_list "$XL")
        ld=$(time_list "$DEBXL")
        echo "list-l-at-1 ours=$lo debian=$ld" >>"$BENCH"
        diag "xl list -l with dom0 only: ours ${lo} ms, Debian's ${ld} ms"
    fi
    RUNS=3
    o=$(series "ours-at-$level" "$XL" | median)
    d=$(series "debian-at-$level" "$DEBXL" | median)
    e=$(cfg=$cfgelf series "debian-elf-at-$level" "$DEBXL" | median)
    scale="$scale $level:$o/$d"
    scale_elf="$scale_elf $level:$e"
    diag "create -p with $want other guests: ours ${o} ms, Debian's ${d} ms"
    if [ "$level" = 20 ] && [ 29 -le "$max_bg" ]; then
        add_bg 29 && {
            lo=$(time_list "$XL")
            ld=$(time_list "$DEBXL")
            echo "list-l-at-30 ours=$lo debian=$ld" >>"$BENCH"
            diag "xl list -l with 30 guests: ours ${lo} ms, Debian's ${ld} ms"
        }
    fi
done
echo "scale$scale" >>"$BENCH"
echo "scale-debian-elf$scale_elf" >>"$BENCH"
first=$(echo "$scale" | tr ' ' '\n' | grep . | head -n 1 | sed -E 's/.*:([0-9-]+)\/.*/\1/')
last=$(echo "$scale" | tr ' ' '\n' | grep . | tail -n 1 | sed -E 's/.*:([0-9-]+)\/.*/\1/')
# A figure, not a test (performance is measured, not asserted): the
# goal is a ratio within 1.2 (bench/bench_scale.sh, BENCHMARKS.md).
if [ -n "$first" ] && [ "$first" != "$last" ]; then
    r=$(awk -v a="$last" -v b="$first" 'BEGIN { printf "%.2f", a / b }')
    echo "scale-ratio $r" >>"$BENCH"
    diag "our create time at the most domains / at 1: $r ($scale)"
fi
pass "create times recorded at$scale"
cleanup_domains
done_testing
