#!/bin/bash
# Run every test suite of xl-toolstack from a fresh clone and print one
# summary line "N passed, N failed, N skipped". This is the README's test
# command and what CI runs (.ci/run). Needs root on a fresh box (it
# installs Debian packages with apt-get).
#
# Suites, in order:
#   unit+golden   gcc, -Werror, ASan+UBSan: `make check` (every TAP result)
#   clang         the same tree built with clang -Werror and ASan+UBSan,
#                 libFuzzer targets run for FUZZ_SECONDS each (1 GiB RSS,
#                 512 MiB per allocation, config inputs up to 1 MiB)
#   valgrind      a plain build; the CLI's no-hypervisor paths under
#                 valgrind --error-exitcode
#   lab           real Xen 4.17 in QEMU: tests/lab/lab.sh run, then a
#                 GRUB-booted Xen (tests/lab/grub-boot.sh)
#
# env: FUZZ_SECONDS (default 60), SKIP_LAB=1 (developer shortcut; the lab
#      then counts as one skipped suite), BUILD_ROOT (default ./build)
set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD_ROOT=${BUILD_ROOT:-$SRC/build}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-2}
PASS=0
FAIL=0
SKIP=0
T_START=$SECONDS

phase() { printf '=== [%4ds] %s\n' "$((SECONDS - T_START))" "$*"; }
count() { # count PASS|FAIL|SKIP N
    case $1 in
    PASS) PASS=$((PASS + $2)) ;;
    FAIL) FAIL=$((FAIL + $2)) ;;
    SKIP) SKIP=$((SKIP + $2)) ;;
    esac
}
# Count the per-test-case results automake's TAP driver left in *.trs.
count_trs() {
    local dir=$1 p f s
    p=$(find "$dir" -name '*.trs' -exec cat {} + 2>/dev/null |
        grep -c '^:test-result: \(PASS\|XFAIL\)')
    f=$(find "$dir" -name '*.trs' -exec cat {} + 2>/dev/null |
        grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)')
    s=$(find "$dir" -name '*.trs' -exec cat {} + 2>/dev/null |
        grep -c '^:test-result: SKIP')
    echo "    $dir: $p passed, $f failed, $s skipped"
    count PASS "$p"
    count FAIL "$f"
    count SKIP "$s"
}
# A whole step that must succeed (configure, build) counts as one test.
step() {
    local name=$1 log=$2
    shift 2
    if "$@" >"$log" 2>&1; then
        count PASS 1
        return 0
    fi
    count FAIL 1
    echo "FAIL: $name (last lines of $log):"
    tail -n 40 "$log"
    return 1
}
configure_in() { # configure_in DIR ARGS...
    local dir=$1
    shift
    mkdir -p "$dir" && cd "$dir" && "$SRC/configure" "$@"
}

phase "dependencies (scripts/install-deps.sh)"
if ! "$SRC/scripts/install-deps.sh"; then
    echo "0 passed, 1 failed"
    exit 1
fi

phase "autoreconf"
mkdir -p "$BUILD_ROOT"
if ! (cd "$SRC" && autoreconf -fi) >"$BUILD_ROOT/autoreconf.log" 2>&1; then
    tail -n 30 "$BUILD_ROOT/autoreconf.log"
    echo "0 passed, 1 failed"
    exit 1
fi

# --- unit + golden, gcc, ASan+UBSan ---
B=$BUILD_ROOT/asan
phase "gcc -Werror ASan+UBSan build"
rm -rf "$B"
if step "configure (asan)" "$BUILD_ROOT/asan-configure.log" \
    configure_in "$B" --enable-werror --enable-asan CC=gcc &&
    step "build (gcc, asan)" "$BUILD_ROOT/asan-build.log" \
        make -C "$B" -j"$JOBS"; then
    phase "make check (unit, golden, style, fuzz corpus replay)"
    if ! make -C "$B" -j"$JOBS" check >"$BUILD_ROOT/asan-check.log" 2>&1; then
        grep -E '^(FAIL|ERROR|XPASS)' "$BUILD_ROOT/asan-check.log" | head -n 40
        # a test binary that could not even be built leaves no .trs
        grep -q 'Error [0-9]' "$BUILD_ROOT/asan-check.log" &&
            ! grep -q '^# FAIL' "$BUILD_ROOT/asan-check.log" &&
            { count FAIL 1; tail -n 30 "$BUILD_ROOT/asan-check.log"; }
    fi
    count_trs "$B"
fi

# --- clang build + libFuzzer ---
B=$BUILD_ROOT/clang
phase "clang -Werror ASan+UBSan build with libFuzzer targets"
rm -rf "$B"
# The fuzzers run under ASan+UBSan: without them a NULL memcpy or a
# 2 GB allocation goes unnoticed (issue 15).
if step "configure (clang, fuzzing, asan)" "$BUILD_ROOT/clang-configure.log" \
    configure_in "$B" --enable-werror --enable-fuzzing --enable-asan \
    CC=clang &&
    step "build (clang)" "$BUILD_ROOT/clang-build.log" \
        make -C "$B" -j"$JOBS"; then
    mapfile -t fuzzers < <(find "$B/tests/fuzz" -maxdepth 1 -type f \
        -name 'fuzz_*' -perm -u+x ! -name '*.*' 2>/dev/null | sort)
    # Two at a time: one per core.
    set -- "${fuzzers[@]}"
    while [ $# -gt 0 ]; do
        pids=()
        names=()
        for fz in "$1" "${2:-}"; do
            [ -n "$fz" ] || continue
            name=$(basename "$fz")
            phase "fuzz $name for ${FUZZ_SECONDS}s"
            corpus=$B/fuzz-corpus/${name#fuzz_}
            mkdir -p "$corpus"
            rm -f "$BUILD_ROOT/$name"-*
            # Every target: 1 GiB of RSS, no single allocation above
            # 512 MiB (a parser that asks for more on a small input is a
            # bug). The config reader also gets inputs up to 1 MiB, where
            # a quadratic lexer once took minutes, from the first run on.
            maxlen=()
            [ "$name" = fuzz_config ] && maxlen=(-max_len=1048576 -len_control=0)
            "$fz" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
                -rss_limit_mb=1024 -malloc_limit_mb=512 "${maxlen[@]}" \
                -artifact_prefix="$BUILD_ROOT/$name-" "$corpus" \
                "$SRC/tests/fuzz/corpus/${name#fuzz_}" \
                >"$BUILD_ROOT/$name.log" 2>&1 &
            pids+=($!)
            names+=("$name")
        done
        for i in "${!pids[@]}"; do
            if wait "${pids[$i]}"; then
                count PASS 1
                grep -m1 -E '^Done|DONE' "$BUILD_ROOT/${names[$i]}.log"
            else
                count FAIL 1
                echo "FAIL: libFuzzer ${names[$i]}: its report, and the input:"
                # The report, without libFuzzer's progress lines; then the
                # input that crashed, so a CI log alone reproduces it.
                grep -v -E '^#[0-9]+[[:space:]]' \
                    "$BUILD_ROOT/${names[$i]}.log" | tail -n 40
                for a in "$BUILD_ROOT/${names[$i]}"-*; do
                    [ -f "$a" ] || continue
                    echo "input $(basename "$a") (base64):"
                    head -c 4096 "$a" | base64
                done
            fi
        done
        shift $(($# > 1 ? 2 : 1))
    done
fi

# --- valgrind on the CLI paths that need no hypervisor ---
B=$BUILD_ROOT/plain
phase "plain build + valgrind"
rm -rf "$B"
if step "configure (plain)" "$BUILD_ROOT/plain-configure.log" \
    configure_in "$B" --enable-werror CC=gcc &&
    step "build (plain)" "$BUILD_ROOT/plain-build.log" \
        make -C "$B" -j"$JOBS"; then
    out=$("$SRC/tests/valgrind.sh" "$B/xl/xl" 2>&1)
    echo "$out" | grep -E '^not ok' | head -n 20
    count PASS "$(echo "$out" | grep -E '^ok ' | grep -vc '# SKIP')"
    count SKIP "$(echo "$out" | grep -E '^ok .*# SKIP' -c)"
    count FAIL "$(echo "$out" | grep -c '^not ok')"
fi

# --- the lab: real Xen in QEMU ---
# lab_suite TAG CMD...: run a lab driver and count its closing
# "TAG: N passed, N failed[, N skipped]" line; no such line is a failure.
lab_suite() {
    local tag=$1 log=$BUILD_ROOT/$1.log line p f s
    shift
    "$@" 2>&1 | tee "$log" | grep -E "^(lab: \[|not ok|$tag: )"
    line=$(grep -E "^$tag: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL: $tag printed no summary (see $log):"
        tail -n 40 "$log"
        count FAIL 1
        return
    fi
    p=$(echo "$line" | sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
    count PASS "$p"
    count FAIL "$f"
    count SKIP "${s:-0}"
}
if [ -n "${SKIP_LAB:-}" ]; then
    phase "lab: SKIP_LAB set, not run"
    count SKIP 1
else
    phase "lab (Xen 4.17 in QEMU): every scenario"
    lab_suite lab "$SRC/tests/lab/lab.sh" run
    phase "lab: Xen booted by GRUB from our grub.d helper"
    lab_suite grub-boot "$SRC/tests/lab/grub-boot.sh"
fi

phase "done"
echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
