#!/bin/bash
# TAP: house style. Every C file is clang-format clean (.clang-format) and
# every shell script is shellcheck clean. One test per file.
set -uo pipefail
SRC=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$SRC" || exit 1
n=0
result() { # result OK? DESCRIPTION OUTPUT
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        printf '%s\n' "$3" | head -n 20 | sed 's/^/# /'
    fi
}
files=$(git ls-files 2>/dev/null || find . -type f ! -path './build*')
for f in $(printf '%s\n' "$files" | grep -E '\.[ch]$' | sort); do
    out=$(clang-format --style=file --dry-run -Werror "$f" 2>&1)
    result $? "clang-format $f" "$out"
done
for f in $(printf '%s\n' "$files" | grep -v "^build-aux/" | sort); do
    [ -f "$f" ] || continue
    case $f in
    *.sh) ;;
    *.c | *.h | *.md | *.am | *.ac | *.in | *.cfg | *.json | *.expected | *.[0-9]) continue ;;
    *) head -c 64 "$f" | grep -qE '^#! ?/(usr/)?bin/(env )?(ba|da)?sh' || continue ;;
    esac
    out=$(shellcheck -x -P SCRIPTDIR "$f" 2>&1)
    result $? "shellcheck $f" "$out"
done
echo "1..$n"
