/* test_control.c: the control commands' argument checks (xl/cmd_control.c):
 * trigger names, VCPU operands, sysrq letters, set-parameters tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libxl.h>

#include "commands.h"

static void test_trigger_names(void **state)
{
    static const struct {
        const char *name;
        int want;
    } cases[] = {
        {"nmi", LIBXL_TRIGGER_NMI},
        {"reset", LIBXL_TRIGGER_RESET},
        {"init", LIBXL_TRIGGER_INIT},
        {"power", LIBXL_TRIGGER_POWER},
        {"sleep", LIBXL_TRIGGER_SLEEP},
        {"s3resume", LIBXL_TRIGGER_S3RESUME},
        {"NMI", LIBXL_TRIGGER_NMI}, /* libxl's parser ignores case */
        {"S3Resume", LIBXL_TRIGGER_S3RESUME},
        {"unknown", -1}, /* libxl's placeholder, refused by every Xen */
        {"", -1},
        {"nm", -1},
        {"nmi ", -1},
        {"powerr", -1},
        {"s3", -1},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = control_trigger_from_name(cases[i].name);

        if (got != cases[i].want)
            fail_msg("trigger '%s': got %d, want %d", cases[i].name, got,
                     cases[i].want);
    }
}

/* Every name libxl knows but "unknown" is one of ours, with its value. */
static void test_trigger_names_match_libxl(void **state)
{
    (void)state;
    for (int t = 0; t <= LIBXL_TRIGGER_S3RESUME; t++) {
        const char *name = libxl_trigger_to_string((libxl_trigger)t);

        assert_non_null(name);
        if (t == LIBXL_TRIGGER_UNKNOWN)
            assert_int_equal(control_trigger_from_name(name), -1);
        else
            assert_int_equal(control_trigger_from_name(name), t);
    }
}

static void test_vcpu_operand(void **state)
{
    static const char *const bad[] = {
        "",   "x",  "-1",  "+1",         " 1",
        "1 ", "1x", "0x1", "4294967296", "99999999999999999999",
    };
    unsigned v = 12345;

    (void)state;
    assert_int_equal(control_vcpu_parse("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(control_vcpu_parse("7", &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(control_vcpu_parse("010", &v), 0); /* decimal */
    assert_int_equal(v, 10);
    assert_int_equal(control_vcpu_parse("4294967295", &v), 0);
    assert_int_equal(v, 4294967295U);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        v = 12345;
        if (control_vcpu_parse(bad[i], &v) != -1)
            fail_msg("VCPU '%s' accepted", bad[i]);
        assert_int_equal(v, 12345); /* untouched */
    }
}

static void test_sysrq_letter(void **state)
{
    (void)state;
    assert_true(control_sysrq_valid("h"));
    assert_true(control_sysrq_valid("B"));
    assert_true(control_sysrq_valid("0"));
    assert_false(control_sysrq_valid(""));
    assert_false(control_sysrq_valid("hh"));
    assert_false(control_sysrq_valid("help"));
}

static void test_params_tokens(void **state)
{
    static const char *const good[] = {
        "",
        "   ",
        "loglvl=all",
        "loglvl=all guest_loglvl=warning",
        "  loglvl=all   guest_loglvl=all  ",
        "noreboot",
        "nox=1",
        "console_timestamps=",
        "a=b=c",
    };
    static const struct {
        const char *params, *bad;
    } bad[] = {
        {"foo", "foo"},
        {"loglvl=all foo", "foo"},
        {"no", "no"},
        {"loglvl=all no guest_loglvl=all", "no"},
        {"=1", "=1"},
        {"n", "n"},
        {"loglvl=all  =x y=1", "=x"},
    };
    size_t len = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (control_params_bad(good[i], &len))
            fail_msg("'%s' refused", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *p = control_params_bad(bad[i].params, &len);

        if (!p)
            fail_msg("'%s' accepted", bad[i].params);
        if (len != strlen(bad[i].bad) || strncmp(p, bad[i].bad, len))
            fail_msg("'%s': named '%.*s', want '%s'", bad[i].params, (int)len,
                     p, bad[i].bad);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trigger_names),
        cmocka_unit_test(test_trigger_names_match_libxl),
        cmocka_unit_test(test_vcpu_operand),
        cmocka_unit_test(test_sysrq_letter),
        cmocka_unit_test(test_params_tokens),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
