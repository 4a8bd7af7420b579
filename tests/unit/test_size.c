/* test_size.c: memory sizes with units (mem-set, maxmem-style values). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxlcfg.h"

static void ok(const char *s, char unit, uint64_t want)
{
    uint64_t got = 1;
    int rc = xlcfg_parse_size(s, unit, NULL, &got, NULL);

    if (rc || got != want)
        fail_msg("'%s' (unit %c): rc %d, %llu bytes, want %llu", s, unit, rc,
                 (unsigned long long)got, (unsigned long long)want);
}

static void bad(const char *s, int want_rc, size_t off, const char *msg)
{
    xlcfg_loc loc = {"<command line>", 0, 0, NULL};
    xlcfg_loc at = {"t.cfg", 1, 10, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    const xlcfg_diag *g;
    uint64_t got = 1;

    assert_non_null(d);
    assert_int_equal(xlcfg_parse_size(s, 'm', &at, &got, d), want_rc);
    assert_int_equal(got, 0);
    assert_int_equal(xlcfg_diags_errors(d), 1);
    g = xlcfg_diags_get(d, 0);
    if (!strstr(g->message, msg))
        fail_msg("'%s': message '%s' lacks '%s'", s, g->message, msg);
    if (g->col != 10 + off)
        fail_msg("'%s': column %u, want %zu", s, g->col, 10 + off);
    xlcfg_diags_free(d);

    /* with an unknown column, none is made up */
    d = xlcfg_diags_new();
    assert_non_null(d);
    assert_int_equal(xlcfg_parse_size(s, 'm', &loc, &got, d), want_rc);
    assert_int_equal(xlcfg_diags_get(d, 0)->col, 0);
    xlcfg_diags_free(d);
}

static void test_units(void **state)
{
    (void)state;
    ok("512", 'm', 512ull << 20); /* mem-set: a bare number is MiB */
    ok("512", 'k', 512ull << 10);
    ok("512", 'b', 512);
    ok("512m", 'k', 512ull << 20);
    ok("512M", 'k', 512ull << 20);
    ok("2g", 'm', 2ull << 30);
    ok("2G", 'm', 2ull << 30);
    ok("1t", 'm', 1ull << 40);
    ok("1T", 'm', 1ull << 40);
    ok("1048576k", 'm', 1ull << 30);
    ok("4096b", 'm', 4096);
    ok("4096B", 'm', 4096);
    ok("0", 'm', 0);
    ok("16777215t", 'm', 16777215ull << 40);
    ok("18446744073709551615", 'b', UINT64_MAX);
}

static void test_errors(void **state)
{
    uint64_t r;

    (void)state;
    bad("", EINVAL, 0, "not a number");
    bad("m", EINVAL, 0, "not a number");
    bad("-1", EINVAL, 0, "negative");
    bad(" 1", EINVAL, 0, "not a number");
    bad("12x", EINVAL, 2, "bad unit 'x'");
    bad("12mb", EINVAL, 2, "bad unit 'mb'");
    bad("1.5g", EINVAL, 1, "bad unit");
    bad("18446744073709551616", ERANGE, 0, "too large");
    bad("16777216t", ERANGE, 0, "too large");
    bad("17179869184g", ERANGE, 0, "too large");
    /* a bad default unit is the caller's bug: EINVAL, no diagnostic */
    assert_int_equal(xlcfg_parse_size("1", 'q', NULL, &r, NULL), EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
