/* Unit tests for xlcfg_validate: unknown keys, types, bounds, xm keys,
 * device specs at the item. */
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

/* Validate `text`; return the diagnostics, with rc checked. */
static xlcfg_diags *validate(const char *text, int want_rc)
{
    xlcfg_cfg *cfg = xlcfg_new();
    xlcfg_diags *d = xlcfg_diags_new();

    assert_int_equal(xlcfg_read(cfg, "v.cfg", text, strlen(text), d), 0);
    assert_int_equal(xlcfg_validate(cfg, d), want_rc);
    xlcfg_free(cfg);
    return d;
}

static const xlcfg_diag *only(xlcfg_diags *d, xlcfg_severity sev)
{
    if (xlcfg_diags_count(d) != 1) {
        char *s = xlcfg_diags_format(d);

        fail_msg("expected one diagnostic, got:\n%s", s);
    }
    assert_int_equal(xlcfg_diags_get(d, 0)->severity, sev);
    return xlcfg_diags_get(d, 0);
}

static void test_clean_config(void **state)
{
    xlcfg_diags *d =
        validate("name = 'ok'\ntype = 'pvh'\nmemory = '1024'\nvcpus = 2\n"
                 "kernel = '/boot/vmlinuz'\ncmdline = 'root=/dev/xvda1'\n"
                 "disk = [ 'phy:/dev/vg/ok,xvda,w' ]\n"
                 "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:01' ]\n"
                 "cpus = '0-3,^1'\non_crash = 'preserve'\n",
                 0);

    assert_int_equal(xlcfg_diags_count(d), 0);
    xlcfg_diags_free(d);
}

static void test_unknown_key_did_you_mean(void **state)
{
    xlcfg_diags *d = validate("name='a'\n  memroy = 512\n", 0);
    const xlcfg_diag *g = only(d, XLCFG_SEV_WARNING);

    assert_string_equal(g->message, "unknown key 'memroy' is ignored");
    assert_string_equal(g->hint, "did you mean 'memory'?");
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 3);
    xlcfg_diags_free(d);
    d = validate("name='a'\nzzzzzzzzzz = 1\n", 0);
    assert_null(only(d, XLCFG_SEV_WARNING)->hint);
    xlcfg_diags_free(d);
}

static void test_xm_keys(void **state)
{
    static const char *const keys[] = {"ip",          "netmask", "gateway",
                                       "hostname",    "dhcp",    "vncviewer",
                                       "device_model"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char text[128];
        xlcfg_diags *d;
        const xlcfg_diag *g;

        snprintf(text, sizeof(text), "name='a'\n%s = '1'\n", keys[i]);
        d = validate(text, 0);
        g = only(d, XLCFG_SEV_WARNING);
        assert_non_null(strstr(g->message, "xm-era"));
        assert_non_null(strstr(g->message, keys[i]));
        assert_non_null(g->hint);
        xlcfg_diags_free(d);
    }
}

static void test_hvmloader_kernel(void **state)
{
    xlcfg_diags *d = validate("name='a'\nbuilder = 'hvm'\n"
                              "kernel = '/usr/lib/xen/boot/hvmloader'\n",
                              0);

    /* One warning for builder, one for the kernel. */
    assert_int_equal(xlcfg_diags_warnings(d), 2);
    assert_string_equal(
        xlcfg_diags_get(d, 1)->message,
        "'kernel' naming hvmloader is ignored for an HVM guest");
    assert_int_equal(xlcfg_diags_get(d, 1)->line, 3);
    assert_int_equal(xlcfg_diags_get(d, 1)->col, 11);
    xlcfg_diags_free(d);
    /* A PV guest's kernel is left alone. */
    d = validate("name='a'\nkernel = '/x/hvmloader'\n", 0);
    assert_int_equal(xlcfg_diags_count(d), 0);
    xlcfg_diags_free(d);
}

static void test_types_and_bounds(void **state)
{
    xlcfg_diags *d = validate("name='a'\nvcpus = 0\n", EINVAL);

    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "'vcpus' must be between 1 and 4096, found 0");
    xlcfg_diags_free(d);
    d = validate("name='a'\nmemory = 'lots'\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "'memory' must be a number, found the string 'lots'");
    xlcfg_diags_free(d);
    d = validate("name='a'\ndisk = 'phy:/dev/x,xvda,w'\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "'disk' must be a list, found a string");
    xlcfg_diags_free(d);
    d = validate("name=['a']\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "'name' must be a string, found a list");
    xlcfg_diags_free(d);
    d = validate("name='a'\ntype='xen'\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "invalid type 'xen'");
    xlcfg_diags_free(d);
    d = validate("name='a'\non_reboot='reboot'\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "invalid on_reboot 'reboot'");
    xlcfg_diags_free(d);
    d = validate("memory = 5\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message, "'name' is not set");
    xlcfg_diags_free(d);
}

static void test_specs_at_item(void **state)
{
    xlcfg_diags *d = validate("name='a'\ndisk = [ 'phy:/dev/x,xvda,w',\n"
                              "         'phy:/dev/y,xvdb,w,bogus=1' ]\n",
                              EINVAL);
    const xlcfg_diag *g = xlcfg_diags_get(d, 0);

    assert_true(xlcfg_diags_errors(d) >= 1);
    assert_int_equal(g->severity, XLCFG_SEV_ERROR);
    assert_int_equal(g->line, 3);
    /* At or after the item's first character (col 11). */
    assert_true(g->col >= 11);
    xlcfg_diags_free(d);
    d = validate("name='a'\ncpus = '^all'\n", EINVAL);
    assert_int_equal(xlcfg_diags_get(d, 0)->line, 2);
    xlcfg_diags_free(d);
    d = validate("name='a'\ncpus = [ '0', '1-2' ]\n", 0);
    assert_int_equal(xlcfg_diags_count(d), 0);
    xlcfg_diags_free(d);
    d = validate("name='a'\npci = [ 'zz:00.0' ]\n", EINVAL);
    assert_int_equal(xlcfg_diags_get(d, 0)->line, 2);
    xlcfg_diags_free(d);
    d = validate("name='a'\nvif = [ 'rate=fast' ]\n", EINVAL);
    assert_int_equal(xlcfg_diags_get(d, 0)->line, 2);
    xlcfg_diags_free(d);
    d = validate("name='a'\nvif = [ ['x'] ]\n", EINVAL);
    assert_string_equal(only(d, XLCFG_SEV_ERROR)->message,
                        "items of 'vif' must be strings, found a list");
    xlcfg_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_config),
        cmocka_unit_test(test_unknown_key_did_you_mean),
        cmocka_unit_test(test_xm_keys),
        cmocka_unit_test(test_hvmloader_kernel),
        cmocka_unit_test(test_types_and_bounds),
        cmocka_unit_test(test_specs_at_item),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
