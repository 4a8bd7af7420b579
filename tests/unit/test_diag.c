/* Unit tests for libxlcfg diagnostics: caps, text and JSON rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxlcfg.h"

static void test_format_with_hint(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_loc loc = {"a.cfg", 3, 10, "memory = 1 + 2\nnext line"};
    char *s;

    assert_non_null(d);
    assert_int_equal(
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, "fix it", "bad %s", "thing"),
        0);
    s = xlcfg_diags_format(d);
    assert_string_equal(s, "a.cfg:3:10: error: bad thing\n"
                           " memory = 1 + 2\n"
                           "          ^\n"
                           "a.cfg:3:10: note: fix it\n");
    free(s);
    assert_int_equal(xlcfg_diags_errors(d), 1);
    assert_int_equal(xlcfg_diags_warnings(d), 0);
    xlcfg_diags_free(d);
}

static void test_format_tabs_and_unknown_parts(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_loc tab = {"t.cfg", 1, 4, "\t\tx = y\r\n"};
    xlcfg_loc noline = {"t.cfg", 0, 0, NULL};
    char *s;

    xlcfg_diags_add(d, XLCFG_SEV_WARNING, &tab, NULL, "w");
    xlcfg_diags_add(d, XLCFG_SEV_ERROR, &noline, NULL, "no line");
    xlcfg_diags_add(d, XLCFG_SEV_NOTE, NULL, NULL, "nothing");
    s = xlcfg_diags_format(d);
    /* CR of CRLF is not part of the shown line; tabs are kept. */
    assert_string_equal(s, "t.cfg:1:4: warning: w\n"
                           " \t\tx = y\n"
                           " \t\t ^\n"
                           "t.cfg: error: no line\n"
                           "note: nothing\n");
    free(s);
    xlcfg_diags_free(d);
}

static void test_utf8_caret(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    /* "é" is two bytes: column 8 is the closing quote; one caret
     * column per character. */
    xlcfg_loc loc = {"u.cfg", 1, 8, "x = '\xc3\xa9' y"};
    char *s;

    xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL, "m");
    s = xlcfg_diags_format(d);
    assert_string_equal(s, "u.cfg:1:8: error: m\n"
                           " x = '\xc3\xa9' y\n"
                           "       ^\n");
    free(s);
    xlcfg_diags_free(d);
}

static void test_cap(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();

    for (int i = 0; i < XLCFG_DIAG_MAX + 5; i++)
        assert_int_equal(
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, NULL, NULL, "e%d", i), 0);
    xlcfg_diags_add(d, XLCFG_SEV_WARNING, NULL, NULL, "still recorded");
    assert_int_equal(xlcfg_diags_errors(d), XLCFG_DIAG_MAX);
    /* 20 errors + one suppression note + the warning */
    assert_int_equal(xlcfg_diags_count(d), XLCFG_DIAG_MAX + 2);
    assert_int_equal(xlcfg_diags_get(d, XLCFG_DIAG_MAX)->severity,
                     XLCFG_SEV_NOTE);
    assert_non_null(
        strstr(xlcfg_diags_get(d, XLCFG_DIAG_MAX)->message, "suppressed"));
    assert_int_equal(xlcfg_diags_warnings(d), 1);
    assert_null(xlcfg_diags_get(d, 1000));
    xlcfg_diags_free(d);
}

static void test_json_utf8(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    char *s;

    xlcfg_diags_add(d, XLCFG_SEV_ERROR, NULL, NULL, "ok \xc3\xa9 bad \xff\xc3");
    s = xlcfg_diags_format_json(d);
    assert_non_null(strstr(s, "\"ok \xc3\xa9 bad \\u00ff\\u00c3\""));
    free(s);
    xlcfg_diags_free(d);
}

static void test_null_list(void **state)
{
    assert_int_equal(xlcfg_diags_add(NULL, XLCFG_SEV_ERROR, NULL, NULL, "x"),
                     0);
    assert_int_equal(xlcfg_diags_count(NULL), 0);
    xlcfg_diags_free(NULL);
}

static void test_json(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_loc loc = {"q\"f.cfg", 2, 5, "line"};
    char *s;

    xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, "h\\int", "tab\there\x01");
    xlcfg_diags_add(d, XLCFG_SEV_WARNING, NULL, NULL, "w");
    s = xlcfg_diags_format_json(d);
    assert_string_equal(
        s, "[{\"file\":\"q\\\"f.cfg\",\"line\":2,\"col\":5,"
           "\"severity\":\"error\",\"message\":\"tab\\there\\u0001\","
           "\"hint\":\"h\\\\int\"},"
           "{\"file\":null,\"line\":0,\"col\":0,\"severity\":\"warning\","
           "\"message\":\"w\",\"hint\":null}]");
    free(s);
    xlcfg_diags_free(d);
    s = xlcfg_diags_format_json(NULL);
    assert_string_equal(s, "[]");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_with_hint),
        cmocka_unit_test(test_format_tabs_and_unknown_parts),
        cmocka_unit_test(test_utf8_caret),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_json_utf8),
        cmocka_unit_test(test_null_list),
        cmocka_unit_test(test_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
