#!/bin/bash
# TAP: the kernel cache is refused (libxl gets the original kernel, with a
# note naming the directory) when any directory on its path could be
# swapped by someone else (issue 15 item 14): a parent writable by others
# and not sticky, a parent owned by another user, a symbolic link whose
# target is unsafe, a relative path or '..'. A sticky world-writable
# ancestor like /tmp is fine when what follows it is ours. list and clear
# refuse an unsafe cache the same way. Parts need root (chown): skipped
# otherwise.
set -uo pipefail
BUILD=${top_builddir:-.}
TOOL=$(cd "$BUILD" && pwd)/tests/kcache/kcache_tool
W=$(mktemp -d /tmp/kcache-ancestors.XXXXXX)
trap 'chmod -R u+rwx "$W" 2>/dev/null; rm -rf "$W"' EXIT
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
has() { case $1 in *"$2"*) return 0 ;; esac; return 1; }

"$TOOL" mkelf "$W/kernel.elf" 200000 3 || exit 1
gzip -9 -n -c <"$W/kernel.elf" >"$W/payload"
K=$W/vmlinuz
"$TOOL" bzimage "$W/payload" "$(stat -c %s "$W/kernel.elf")" "$K"

# refused DIR WHAT NAMED: a lookup with cache DIR hands out the kernel
# itself and its note names NAMED; list and clear refuse too.
refused() {
    local out why
    out=$("$TOOL" get "$K" "$1" 2>"$W/why")
    why=$(cat "$W/why")
    [ "$out" = "$K" ] && has "$why" "not cached: " && has "$why" "$3"
    ok $? "$2: cache refused, note names $3" "$out / $why"
    why=$("$TOOL" list "$1" 2>&1)
    [ $? = 1 ] && has "$why" "$3"
    ok $? "$2: list refuses" "$why"
    why=$("$TOOL" clear "$1" 2>&1)
    [ $? = 1 ] && has "$why" "$3"
    ok $? "$2: clear refuses" "$why"
}

# The safe case: a root-or-our-own 0755 tree under sticky /tmp.
mkdir -p "$W/safe/a"
chmod 755 "$W" "$W/safe" "$W/safe/a"
out=$("$TOOL" get "$K" "$W/safe/a/cache" 2>"$W/why")
has "$(cat "$W/why")" "cache miss" && [ "$out" != "$K" ]
ok $? "safe ancestors (sticky /tmp above our own dirs): cached" "$(cat "$W/why")"

# A parent writable by others, not sticky: anyone could rename it away.
mkdir -p "$W/open/cache"
chmod 700 "$W/open/cache"
chmod 777 "$W/open"
refused "$W/open/cache" "world-writable parent" \
    "unsafe ancestor $W/open: writable by group or others and not sticky"
# ... even when the cache was fine when it was made: a get after the swap.
chmod 1777 "$W/open"
out=$("$TOOL" get "$K" "$W/open/cache" 2>"$W/why")
has "$(cat "$W/why")" "cache miss"
ok $? "the same parent made sticky (like /tmp): cached" "$(cat "$W/why")"

# Group-writable only is refused as well.
mkdir -p "$W/grp/cache"
chmod 775 "$W/grp"
refused "$W/grp/cache" "group-writable parent" "unsafe ancestor $W/grp"

# A symbolic link (in a safe place) to a cache under an unsafe directory.
mkdir -p "$W/open2/real"
chmod 777 "$W/open2"
ln -s "$W/open2/real" "$W/safe/link"
refused "$W/safe/link/cache" "symlink to an unsafe target" \
    "unsafe ancestor $W/open2"
# A symbolic link to a safe target is fine.
ln -s "$W/safe/a" "$W/safe/goodlink"
out=$("$TOOL" get "$K" "$W/safe/goodlink/cache" 2>"$W/why")
has "$(cat "$W/why")" "cache hit"
ok $? "symlink to a safe target: cached (a hit: same directory)" \
    "$(cat "$W/why")"

# Not an absolute path, '..'.
out=$(cd "$W/safe" && "$TOOL" get "$K" "a/cache" 2>&1)
has "$out" "not an absolute path"
ok $? "a relative cache path is refused" "$out"
out=$("$TOOL" get "$K" "$W/safe/a/../a/cache" 2>&1)
has "$out" "'..' is not allowed"
ok $? "a path with '..' is refused" "$out"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    # A parent owned by another user (0755 but theirs): they can swap it.
    mkdir -p "$W/user/cache"
    chown nobody "$W/user"
    refused "$W/user/cache" "parent owned by nobody" \
        "unsafe ancestor $W/user: owned by uid $(id -u nobody)"
    # The swap itself, as the user: the cache was usable, then is not.
    mkdir -p "$W/user2/p/cache"
    chmod 755 "$W/user2/p"
    out=$("$TOOL" get "$K" "$W/user2/p/cache" 2>"$W/why")
    has "$(cat "$W/why")" "cache miss"
    ok $? "before the parent changes hands: cached" "$(cat "$W/why")"
    chown nobody "$W/user2"
    runuser -u nobody -- mv "$W/user2/p" "$W/user2/q" &&
        runuser -u nobody -- mkdir -p "$W/user2/p/cache"
    out=$("$TOOL" get "$K" "$W/user2/p/cache" 2>"$W/why")
    [ "$out" = "$K" ] && has "$(cat "$W/why")" "unsafe ancestor $W/user2"
    ok $? "after nobody swapped the directory: refused" "$(cat "$W/why")"
    # A sticky world-writable dir does not protect what another user owns.
    mkdir -p "$W/sticky"
    chmod 1777 "$W/sticky"
    runuser -u nobody -- mkdir -p "$W/sticky/theirs/cache"
    refused "$W/sticky/theirs/cache" "another user's dir under a sticky one" \
        "unsafe ancestor $W/sticky/theirs"
else
    skip "not root: ownership cases need chown and runuser"
fi

echo "1..$n"
[ $fails = 0 ]
