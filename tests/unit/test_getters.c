/* Unit tests for the typed getters: reference conversions and errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxlcfg.h"

static const char text[] = "name = 'vm'\n"
                           "memory = '512'\n"
                           "vcpus = 0x1f\n"
                           "maxvcpus = 010\n"
                           "acpi = 0\n"
                           "hap = 2\n"
                           "bad = 'abc'\n"
                           "octal = 08\n"
                           "huge = 99999999999999999999\n"
                           "disk = [ 'a', 'b' ]\n"
                           "nested = [ 'a', [ 'b' ] ]\n"
                           "num = 7\n";

static int setup(void **state)
{
    xlcfg_cfg *cfg = xlcfg_new();

    if (!cfg || xlcfg_read(cfg, "g.cfg", text, strlen(text), NULL))
        return -1;
    *state = cfg;
    return 0;
}

static int teardown(void **state)
{
    xlcfg_free(*state);
    return 0;
}

static void test_long(void **state)
{
    xlcfg_cfg *cfg = *state;
    xlcfg_diags *d = xlcfg_diags_new();
    long long l = -1;

    /* Quoted numbers are numbers; base 0 as strtoll. */
    assert_int_equal(xlcfg_get_long(cfg, "memory", &l, d), 0);
    assert_int_equal(l, 512);
    assert_int_equal(xlcfg_get_long(cfg, "vcpus", &l, d), 0);
    assert_int_equal(l, 31);
    assert_int_equal(xlcfg_get_long(cfg, "maxvcpus", &l, d), 0);
    assert_int_equal(l, 8);
    assert_int_equal(xlcfg_diags_count(d), 0);
    assert_int_equal(xlcfg_get_long(cfg, "missing", &l, d), ENOENT);
    assert_int_equal(xlcfg_diags_count(d), 0);
    assert_int_equal(xlcfg_get_long(cfg, "bad", &l, d), EINVAL);
    assert_string_equal(xlcfg_diags_get(d, 0)->message,
                        "'bad' must be a number, found the string 'abc'");
    assert_int_equal(xlcfg_diags_get(d, 0)->line, 7);
    assert_int_equal(xlcfg_diags_get(d, 0)->col, 8);
    assert_int_equal(xlcfg_get_long(cfg, "octal", &l, d), EINVAL);
    assert_non_null(xlcfg_diags_get(d, 1)->hint);
    assert_int_equal(xlcfg_get_long(cfg, "huge", &l, d), ERANGE);
    assert_int_equal(xlcfg_get_long(cfg, "disk", &l, d), EINVAL);
    assert_string_equal(xlcfg_diags_get(d, 3)->message,
                        "'disk' must be a number, found a list");
    xlcfg_diags_free(d);
}

static void test_bool(void **state)
{
    xlcfg_cfg *cfg = *state;
    bool b = true;

    assert_int_equal(xlcfg_get_bool(cfg, "acpi", &b, NULL), 0);
    assert_false(b);
    assert_int_equal(xlcfg_get_bool(cfg, "hap", &b, NULL), 0);
    assert_true(b);
    assert_int_equal(xlcfg_get_bool(cfg, "bad", &b, NULL), EINVAL);
}

static void test_string(void **state)
{
    xlcfg_cfg *cfg = *state;
    xlcfg_diags *d = xlcfg_diags_new();
    const char *s = NULL;

    assert_int_equal(xlcfg_get_string(cfg, "name", &s, d), 0);
    assert_string_equal(s, "vm");
    /* A number is its own text, as in the reference. */
    assert_int_equal(xlcfg_get_string(cfg, "num", &s, d), 0);
    assert_string_equal(s, "7");
    assert_int_equal(xlcfg_get_string(cfg, "disk", &s, d), EINVAL);
    assert_string_equal(xlcfg_diags_get(d, 0)->message,
                        "'disk' must be a string, found a list");
    assert_int_equal(xlcfg_get_string(cfg, "nokey", &s, d), ENOENT);
    xlcfg_diags_free(d);
}

static void test_lists(void **state)
{
    xlcfg_cfg *cfg = *state;
    xlcfg_diags *d = xlcfg_diags_new();
    const xlcfg_value *v = NULL;
    const char **sl = NULL;
    size_t n = 0;

    assert_int_equal(xlcfg_get_list(cfg, "disk", &v, d), 0);
    assert_int_equal(v->nitems, 2);
    assert_int_equal(xlcfg_get_list(cfg, "name", &v, d), EINVAL);
    assert_string_equal(xlcfg_diags_get(d, 0)->message,
                        "'name' must be a list, found a string");
    assert_int_equal(xlcfg_get_strlist(cfg, "disk", &sl, &n, d), 0);
    assert_int_equal(n, 2);
    assert_string_equal(sl[1], "b");
    assert_null(sl[2]);
    free(sl);
    /* One string is a one-item list. */
    assert_int_equal(xlcfg_get_strlist(cfg, "name", &sl, &n, d), 0);
    assert_int_equal(n, 1);
    assert_string_equal(sl[0], "vm");
    free(sl);
    assert_int_equal(xlcfg_get_strlist(cfg, "nested", &sl, &n, d), EINVAL);
    assert_int_equal(xlcfg_diags_get(d, 1)->line, 11);
    assert_int_equal(xlcfg_diags_get(d, 1)->col, 17);
    xlcfg_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_lists),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
