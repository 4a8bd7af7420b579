/* test_cpulist.c: CPU lists for cpus=, cpus_soft= and vcpu-pin. */
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

/* Parse and resolve on a host of nr CPUs (node map may be NULL); return
 * the set as a string of 0/1 per CPU. */
static void resolve(const char *spec, unsigned nr, const unsigned *nodes,
                    const char *want)
{
    xlcfg_cpulist l;
    uint8_t map[8];
    char got[65];
    unsigned i;

    assert_true(nr <= 64);
    if (xlcfg_parse_cpulist(spec, NULL, &l, NULL))
        fail_msg("'%s' refused", spec);
    memset(map, 0xa5, sizeof(map)); /* resolve must start from empty */
    assert_int_equal(xlcfg_cpulist_resolve(&l, nr, nodes, map), 0);
    for (i = 0; i < nr; i++)
        got[i] = map[i / 8] & (1u << (i % 8)) ? '1' : '0';
    got[nr] = '\0';
    if (strcmp(got, want))
        fail_msg("'%s': got %s, want %s", spec, got, want);
    xlcfg_cpulist_dispose(&l);
}

static void bad(const char *spec, size_t off, const char *msg)
{
    xlcfg_loc loc = {"t.cfg", 4, 9, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    const xlcfg_diag *g;
    xlcfg_cpulist l;

    assert_non_null(d);
    if (xlcfg_parse_cpulist(spec, &loc, &l, d) != EINVAL)
        fail_msg("'%s' accepted", spec);
    assert_true(xlcfg_diags_errors(d) >= 1);
    g = xlcfg_diags_get(d, 0);
    if (!strstr(g->message, msg))
        fail_msg("'%s': message '%s' lacks '%s'", spec, g->message, msg);
    if (g->col != 9 + off)
        fail_msg("'%s': column %u, want %zu", spec, g->col, 9 + off);
    assert_string_equal(g->file, "t.cfg");
    xlcfg_cpulist_dispose(&l);
    xlcfg_diags_free(d);
}

static void test_terms(void **state)
{
    xlcfg_cpulist l;

    (void)state;
    assert_int_equal(xlcfg_parse_cpulist("^nodes:2-3,all,7", NULL, &l, NULL),
                     0);
    assert_int_equal(l.nterms, 3);
    assert_true(l.terms[0].negate);
    assert_true(l.terms[0].nodes);
    assert_int_equal(l.terms[0].lo, 2);
    assert_int_equal(l.terms[0].hi, 3);
    assert_true(l.terms[1].all);
    assert_false(l.terms[2].negate);
    assert_int_equal(l.terms[2].lo, 7);
    assert_int_equal(l.terms[2].hi, 7);
    xlcfg_cpulist_dispose(&l);
    assert_null(l.terms);
}

static void test_resolve(void **state)
{
    static const unsigned nodes[8] = {0, 0, 0, 0, 1, 1, 1, 1};

    (void)state;
    resolve("0-3,^2", 8, NULL, "11010000"); /* the reference's example */
    resolve("all", 8, NULL, "11111111");
    resolve("all,^0-1", 8, NULL, "00111111");
    resolve("^1,1", 4, NULL, "0100"); /* left to right from empty */
    resolve("3", 4, NULL, "0001");
    resolve(" 0 , 2 ,", 4, NULL, "1010"); /* blanks, trailing comma */
    resolve("1,,2", 4, NULL, "0110");
    resolve("node:1", 8, nodes, "00001111");
    resolve("nodes:0-1,^node:0", 8, nodes, "00001111");
    resolve("node:all", 8, nodes, "11111111");
    resolve("node:1,^5", 8, nodes, "00001011");
    resolve("node:0", 4, NULL, "1111"); /* no map: one node */
}

/* As the reference: CPUs and nodes the host lacks are skipped, and
 * xlcfg_cpulist_absent names them. */
static void test_resolve_missing(void **state)
{
    static const unsigned nodes[4] = {0, 0, 1, 1};
    xlcfg_cpulist l;
    uint8_t map[1];
    char buf[64];

    (void)state;
    assert_int_equal(xlcfg_parse_cpulist("0-4", NULL, &l, NULL), 0);
    assert_int_equal(xlcfg_cpulist_resolve(&l, 4, NULL, map), 0);
    assert_int_equal(map[0], 0x0f);
    assert_int_equal(xlcfg_cpulist_absent(&l, 4, NULL, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "4");
    assert_int_equal(xlcfg_cpulist_resolve(&l, 5, NULL, map), 0);
    assert_int_equal(map[0], 0x1f);
    assert_int_equal(xlcfg_cpulist_absent(&l, 5, NULL, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    xlcfg_cpulist_dispose(&l);
    assert_int_equal(xlcfg_parse_cpulist("node:2", NULL, &l, NULL), 0);
    assert_int_equal(xlcfg_cpulist_resolve(&l, 4, nodes, map), 0);
    assert_int_equal(map[0], 0);
    assert_int_equal(xlcfg_cpulist_absent(&l, 4, nodes, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "node 2");
    assert_int_equal(xlcfg_cpulist_absent(&l, 4, NULL, buf, sizeof(buf)), 1);
    xlcfg_cpulist_dispose(&l);
    /* cluster tools write "0-63" for every CPU: a 2-CPU host keeps 0-1 */
    assert_int_equal(xlcfg_parse_cpulist("0-63,^1,70,^80-90", NULL, &l, NULL),
                     0);
    assert_int_equal(xlcfg_cpulist_resolve(&l, 2, NULL, map), 0);
    assert_int_equal(map[0] & 3, 1);
    assert_int_equal(xlcfg_cpulist_absent(&l, 2, NULL, buf, sizeof(buf)), 3);
    assert_string_equal(buf, "2-63, 70, 80-90");
    /* truncated, still terminated */
    assert_int_equal(xlcfg_cpulist_absent(&l, 2, NULL, buf, 6), 3);
    assert_string_equal(buf, "2-63,");
    xlcfg_cpulist_dispose(&l);
}

static void test_errors(void **state)
{
    (void)state;
    bad("^all", 0, "cannot combine '^' and 'all'");
    bad("1,^nodes:all", 2, "cannot combine");
    bad("3-1", 0, "runs backwards");
    bad("0-3,x", 4, "invalid CPU range 'x'");
    bad("0-3,2-", 6, "invalid CPU range '2-'");
    bad("node:a", 5, "invalid node range");
    bad("1-2-3", 3, "invalid CPU range");
    bad("-1", 0, "invalid CPU range");
    bad("99999999999", 0, "too large");
    bad("", 0, "empty CPU list");
    bad(" , ", 0, "empty CPU list");
    bad("node1", 0, "invalid CPU range");
}

static void test_every_bad_term_reported(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_cpulist l;

    (void)state;
    assert_int_equal(xlcfg_parse_cpulist("x,1,^all,5-4", NULL, &l, d), EINVAL);
    assert_int_equal(xlcfg_diags_errors(d), 3);
    xlcfg_cpulist_dispose(&l);
    xlcfg_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_resolve_missing),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_every_bad_term_reported),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
