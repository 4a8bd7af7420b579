/* test_pci.c: PCI passthrough specs, as 4.17's xlu_pci_parse_spec_string. */
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

static void parse_ok(const char *spec, xlcfg_pci *pci)
{
    xlcfg_diags *d = xlcfg_diags_new();
    int rc;

    assert_non_null(d);
    rc = xlcfg_parse_pci(spec, NULL, pci, d);
    if (rc)
        fail_msg("'%s' refused: %s", spec,
                 xlcfg_diags_count(d) ? xlcfg_diags_get(d, 0)->message : "?");
    assert_int_equal(xlcfg_diags_count(d), 0);
    xlcfg_diags_free(d);
}

static void bad(const char *spec, size_t off, const char *msg, const char *hint)
{
    xlcfg_loc loc = {"t.cfg", 12, 8, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    const xlcfg_diag *g;
    xlcfg_pci pci;

    assert_non_null(d);
    if (xlcfg_parse_pci(spec, &loc, &pci, d) != EINVAL)
        fail_msg("'%s' accepted", spec);
    assert_true(xlcfg_diags_errors(d) >= 1);
    g = xlcfg_diags_get(d, 0);
    if (!strstr(g->message, msg))
        fail_msg("'%s': message '%s' lacks '%s'", spec, g->message, msg);
    if (g->col != 8 + off)
        fail_msg("'%s': column %u, want %zu", spec, g->col, 8 + off);
    if (hint) {
        assert_non_null(g->hint);
        if (!strstr(g->hint, hint))
            fail_msg("'%s': hint '%s' lacks '%s'", spec, g->hint, hint);
    }
    xlcfg_pci_dispose(&pci);
    xlcfg_diags_free(d);
}

static void test_bdf(void **state)
{
    xlcfg_pci pci;

    (void)state;
    parse_ok("00:1f.3", &pci);
    assert_int_equal(pci.domain, 0);
    assert_int_equal(pci.bus, 0);
    assert_int_equal(pci.dev, 0x1f);
    assert_int_equal(pci.func, 3);
    assert_false(pci.func_all);
    assert_int_equal(pci.vslot, -1);
    assert_int_equal(pci.permissive, -1);
    assert_int_equal(pci.msitranslate, -1);
    assert_int_equal(pci.seize, -1);
    assert_int_equal(pci.power_mgmt, -1);
    assert_null(pci.rdm_policy);
    assert_null(pci.name);
    xlcfg_pci_dispose(&pci);

    parse_ok("ffff:Ab:01.7@1f", &pci);
    assert_int_equal(pci.domain, 0xffff);
    assert_int_equal(pci.bus, 0xab);
    assert_int_equal(pci.dev, 1);
    assert_int_equal(pci.func, 7);
    assert_int_equal(pci.vslot, 0x1f);
    xlcfg_pci_dispose(&pci);

    parse_ok("0000:03:00.*", &pci);
    assert_true(pci.func_all);
    assert_int_equal(pci.func, 0);
    assert_int_equal(pci.bus, 3);
    xlcfg_pci_dispose(&pci);
}

static void test_options(void **state)
{
    xlcfg_pci pci;

    (void)state;
    parse_ok("0000:03:00.0@4,permissive=1,msitranslate=0,seize=1,"
             "power_mgmt=1,rdm_policy=strict",
             &pci);
    assert_int_equal(pci.vslot, 4);
    assert_int_equal(pci.permissive, 1);
    assert_int_equal(pci.msitranslate, 0);
    assert_int_equal(pci.seize, 1);
    assert_int_equal(pci.power_mgmt, 1);
    assert_string_equal(pci.rdm_policy, "strict");
    xlcfg_pci_dispose(&pci);

    parse_ok("bdf=03:00.1,vslot=5,rdm_policy=Relaxed,permissive=7", &pci);
    assert_int_equal(pci.bus, 3);
    assert_int_equal(pci.func, 1);
    assert_int_equal(pci.vslot, 5);
    assert_string_equal(pci.rdm_policy, "relaxed");
    assert_int_equal(pci.permissive, 1);
    xlcfg_pci_dispose(&pci);

    parse_ok("name=gpu0,seize=0", &pci);
    assert_string_equal(pci.name, "gpu0");
    assert_int_equal(pci.seize, 0);
    xlcfg_pci_dispose(&pci);

    /* the reference reads the slot with sscanf("%x") */
    parse_ok("03:00.0@0x5,vslot= 0X6", &pci);
    assert_int_equal(pci.vslot, 6);
    xlcfg_pci_dispose(&pci);

    parse_ok("03:00.0,", &pci); /* trailing comma, as the reference */
    xlcfg_pci_dispose(&pci);
}

static void test_errors(void **state)
{
    (void)state;
    bad("", 0, "invalid PCI address ''", "[DDDD:]BB:DD.F");
    bad("03", 0, "invalid PCI address", NULL);
    bad("1:2:3:4.0", 0, "invalid PCI address", NULL);
    bad("03:00", 5, "invalid PCI address", NULL);
    bad("03:00.8", 6, "invalid PCI function", "0-7");
    bad("03:20.0", 3, "device number too large", NULL);
    bad("100:00.0", 0, "bus number too large", NULL);
    bad("10000:00:00.0", 0, "domain number too large", NULL);
    bad("03:00.0x", 7, "unexpected 'x'", NULL);
    bad("03:00.0@20", 8, "invalid virtual slot '20'", "0-1f");
    bad("03:00.0@", 8, "invalid virtual slot", NULL);
    bad("03:00.0,permisive=1", 8, "unknown PCI option 'permisive'",
        "did you mean 'permissive'?");
    bad("03:00.0,seize=yes", 14, "invalid value 'yes' for seize", "0 or 1");
    bad("03:00.0,rdm_policy=loose", 19, "unknown rdm_policy 'loose'", "strict");
    bad("03:00.0,msitranslate", 8, "expected key=value", NULL);
    bad("03:00.0,,seize=1", 8, "empty option", NULL);
    bad("03:00.0,name=x", 0, "both an address and name=", NULL);
    bad("seize=1", 0, "no device address", NULL);
    bad("name=", 5, "empty PCI device name", NULL);
    bad("bdf=03:00.9", 10, "invalid PCI function", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bdf),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
