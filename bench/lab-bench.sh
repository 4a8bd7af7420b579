# lab-bench.sh: sourced by the bench/bench_*.sh lab benchmarks.
# lab_bench NAME SCENARIO-FILE: runs SCENARIO-FILE as lab scenario
# 99-NAME from a copy of the committed tree (the working tree when there
# is no git) and prints the path of its output directory (the run
# directory is kept). Extra lab settings come from the environment.
# shellcheck shell=bash
lab_bench() {
    local name=$1 scen=$2 src tmp run
    src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    tmp=$(mktemp -d "/tmp/bench-$name.XXXXXX")
    if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$src" archive HEAD | tar -x -C "$tmp"
    else
        cp -a "$src/." "$tmp/"
    fi
    cp "$scen" "$tmp/tests/lab/scenarios/99-$name.sh"
    chmod +x "$tmp/tests/lab/scenarios/99-$name.sh"
    XL_LAB_KEEP=1 "$tmp/tests/lab/lab.sh" run "99-$name" >"$tmp.log" 2>&1
    sed 's/^/  /' "$tmp.log" >&2
    run=$(sed -n 's/^lab: .*logs: \([^ ]*\) .*/\1/p' "$tmp.log" | tail -n 1)
    rm -rf "$tmp" "$tmp.log"
    if [ -z "$run" ] || [ ! -d "$run/share/out/scenarios/99-$name" ]; then
        echo "lab_bench: the lab run left no output for 99-$name" >&2
        return 1
    fi
    echo "$run/share/out/scenarios/99-$name"
}
