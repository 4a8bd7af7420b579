#!/bin/bash
# 35-attach-parse: every case of tests/xl/attach-parse.cases through our xl
# and Debian's, as `-N block-attach 0 ARG...` / `-N network-attach 0
# ARG...`: same exit status, same stdout. The one difference allowed is
# our hotplug script line (a "script" under our scripts directory, or in
# place of Debian's bare name of the same script). Ours must also print
# exactly what the table says (XL_SCRIPTS_DIR set as in make check). A
# case marked debian-refuses must be refused by Debian's xl (exit 1, no
# stdout), one marked debian-accepts accepted by it (exit 0), where ours
# does as the table says; the reason is shown. One TAP result per case;
# outputs are kept in $XLAB_OUT/attach-parse/.
# lab-timeout: 300

# shellcheck source=tests/lab/scenarios/lib.sh
. "$(dirname "$0")/lib.sh"

CASES=${XLAB_ATTACH_CASES:-/mnt/host/attach-parse.cases}
[ -r "$CASES" ] || skip_all "no $CASES (lab.sh copies tests/xl/attach-parse.cases)"
plan "$(grep -c '^== ' "$CASES")"
D=$XLAB_OUT/attach-parse
mkdir -p "$D"

# strip_script FILE [NAME]: FILE without our script line (a path under
# .../xl-toolstack/scripts/), or with NAME without a "script": "NAME" line;
# a line left ending in ',' before a closing brace loses the comma, and an
# object left empty is written as libxl writes one ("{", "", "}").
strip_script() {
    awk -v name="${2:-}" '
        function skip(l) {
            if (l ~ /^    "script": ".*\/xl-toolstack\/scripts\/[^"]*",?$/)
                return name == ""
            return name != "" && (l == "    \"script\": \"" name "\"," ||
                                  l == "    \"script\": \"" name "\"")
        }
        skip($0) { next }
        { line[++n] = $0 }
        END {
            for (i = 1; i <= n; i++) {
                if (line[i] ~ /,$/ && line[i + 1] ~ /^}/)
                    sub(/,$/, "", line[i])
                print line[i]
                if (line[i] ~ /{$/ && line[i + 1] ~ /^}/)
                    print ""
            }
        }' "$1"
}

# The case gathered so far: run both xls, compare, one TAP line.
name="" cmd="" want_rc="" want_out="" refuses="" accepts="" args=()
run_case() {
    local f rc_ours rc_deb why=() ours_script w
    [ -n "$name" ] || return 0
    f=$D/$name
    XL_SCRIPTS_DIR=/usr/libexec/xl-toolstack/scripts \
        "$XL" -N "$cmd" 0 "${args[@]}" >"$f.ours" 2>"$f.ours.err" </dev/null
    rc_ours=$?
    "$DEBXL" -N "$cmd" 0 "${args[@]}" >"$f.deb" 2>"$f.deb.err" </dev/null
    rc_deb=$?
    printf '%s' "$want_out" >"$f.table"

    [ "$rc_ours" = "$want_rc" ] || why+=("our exit $rc_ours, the table's $want_rc")
    cmp -s "$f.table" "$f.ours" || why+=("our stdout is not the table's")
    if [ -n "$refuses" ]; then
        if [ "$rc_deb" = 0 ] || [ -s "$f.deb" ]; then
            why+=("Debian's xl accepts it now (exit $rc_deb): drop debian-refuses")
        fi
    elif [ -n "$accepts" ]; then
        if [ "$rc_deb" != 0 ]; then
            why+=("Debian's xl refuses it now (exit $rc_deb): drop debian-accepts")
        fi
    else
        [ "$rc_ours" = "$rc_deb" ] || why+=("exit $rc_ours, Debian's $rc_deb")
        # Our script line: a bare name in the spec (script=vif-route)
        # becomes our copy's path, where Debian's keeps the name.
        ours_script=$(sed -n 's|^    "script": ".*/xl-toolstack/scripts/\([^"]*\)",\{0,1\}$|\1|p' "$f.ours")
        strip_script "$f.ours" >"$f.ours.cmp"
        if [ -n "$ours_script" ] &&
            grep -qE "^    \"script\": \"$ours_script\",?$" "$f.deb"; then
            strip_script "$f.deb" "$ours_script" >"$f.deb.cmp"
        else
            cp "$f.deb" "$f.deb.cmp"
        fi
        cmp -s "$f.deb.cmp" "$f.ours.cmp" || why+=("stdout differs from Debian's")
    fi
    if [ ${#why[@]} = 0 ]; then
        pass "$name"
        [ -n "$refuses" ] && diag "$name: Debian's xl refuses it: $refuses"
        [ -n "$accepts" ] && diag "$name: Debian's xl accepts it: $accepts"
    else
        fail "$name: $cmd${args[*]+$(printf ' %q' "${args[@]}")}"
        for w in "${why[@]}"; do diag "$w"; done
        if [ -z "$refuses$accepts" ] && [ -f "$f.deb.cmp" ]; then
            diff -u "$f.deb.cmp" "$f.ours.cmp" | sed 's/^/#   /'
        fi
        sed 's/^/# ours: /' "$f.ours.err" | head -n 4
        sed 's/^/# debian: /' "$f.deb.err" | head -n 4
    fi
}

while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    "== "*)
        run_case
        read -r _ name cmd want_rc <<<"$line"
        want_out="" refuses="" accepts="" args=()
        ;;
    arg) args+=("") ;;
    "arg "*) args+=("${line#arg }") ;;
    "|"*) want_out+="${line#|}"$'\n' ;;
    "debian-refuses "*) refuses=${line#debian-refuses } ;;
    "debian-accepts "*) accepts=${line#debian-accepts } ;;
    *) ;; # stderr lines (make check's), comments
    esac
done <"$CASES"
run_case
done_testing
