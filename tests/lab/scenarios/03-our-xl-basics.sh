#!/bin/bash
# 03-our-xl-basics: our xl info and xl list agree with Debian's on the real hypervisor.
# A command our xl does not list in `xl help` yet is skipped, with the reason.
# lab-timeout: 60
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 6

if ! ok "our xl is installed as $XL" test -x "$XL"; then
    for t in "xl info" "xl list" "xl list Domain-0" "xl list 0" "xl list no-such-domain"; do
        fail "$t matches Debian's (our xl is not built)"
    done
    done_testing
fi

if has_command "$XL" info; then
    xl_diff -n norm_times info
else
    skip "xl info matches Debian's" "our xl has no 'info' yet (xl help)"
fi
if has_command "$XL" list; then
    xl_diff -n norm_times list
    xl_diff -n norm_times list Domain-0
    xl_diff -n norm_times list 0
    xl_diff -n norm_times -m "xl list no-such-domain fails like Debian's" list no-such-domain
else
    for t in "xl list" "xl list Domain-0" "xl list 0" "xl list no-such-domain"; do
        skip "$t matches Debian's" "our xl has no 'list' yet (xl help)"
    done
fi
done_testing
