/* Unit tests for the xl.cfg parser: statements, spans, +=, errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxlcfg.h"

static xlcfg_cfg *parse(const char *text, xlcfg_diags *d, int want_rc)
{
    xlcfg_cfg *cfg = xlcfg_new();

    assert_non_null(cfg);
    assert_int_equal(xlcfg_read(cfg, "p.cfg", text, strlen(text), d), want_rc);
    return cfg;
}

static void test_statements_and_spans(void **state)
{
    static const char text[] = "# head\n"
                               "name = \"vm\" ; memory=512\n"
                               "disk = [ 'a',\n"
                               "   'b', ]  # trailing comma\n"
                               "vnuma = [ [ 'pnode=0' ], [] ]\n";
    xlcfg_cfg *cfg = parse(text, NULL, 0);
    const xlcfg_setting *s;
    const xlcfg_value *v;

    assert_int_equal(xlcfg_nsettings(cfg), 4);
    s = xlcfg_setting_at(cfg, 0);
    assert_string_equal(s->key, "name");
    assert_false(s->append);
    assert_int_equal(s->key_span.line, 2);
    assert_int_equal(s->key_span.col, 1);
    assert_int_equal(s->value->span.col, 8);
    assert_int_equal(s->value->quote, '"');
    /* The span covers the quotes: the exact source bytes. */
    assert_memory_equal(text + s->value->span.begin, "\"vm\"", 4);
    assert_int_equal(s->span.end, s->value->span.end);
    s = xlcfg_setting_at(cfg, 1);
    assert_string_equal(s->key, "memory");
    assert_int_equal(s->key_span.col, 15);
    assert_int_equal(s->value->type, XLCFG_NUMBER);
    assert_string_equal(s->value->text, "512");
    s = xlcfg_setting_at(cfg, 2);
    v = s->value;
    assert_int_equal(v->type, XLCFG_LIST);
    assert_int_equal(v->nitems, 2);
    assert_int_equal(v->items[1]->span.line, 4);
    assert_int_equal(v->items[1]->span.col, 4);
    assert_memory_equal(text + v->span.begin, "[ 'a',\n   'b', ]",
                        v->span.end - v->span.begin);
    v = xlcfg_setting_at(cfg, 3)->value;
    assert_int_equal(v->nitems, 2);
    assert_int_equal(v->items[0]->type, XLCFG_LIST);
    assert_string_equal(v->items[0]->items[0]->text, "pnode=0");
    assert_int_equal(v->items[1]->nitems, 0);
    assert_int_equal(xlcfg_nsources(cfg), 1);
    assert_string_equal(xlcfg_source_name(cfg, 0), "p.cfg");
    xlcfg_free(cfg);
}

/* A value can be replaced byte for byte from its span, keeping comments. */
static void test_rewrite_from_span(void **state)
{
    static const char text[] = "memory = 512   # MiB\nname='x'\n";
    xlcfg_cfg *cfg = parse(text, NULL, 0);
    const xlcfg_value *v = xlcfg_get(cfg, "memory");
    char out[128];
    size_t len;
    const char *src = xlcfg_source_text(cfg, 0, &len);

    assert_int_equal(len, strlen(text));
    snprintf(out, sizeof(out), "%.*s%s%s", (int)v->span.begin, src, "1024",
             src + v->span.end);
    assert_string_equal(out, "memory = 1024   # MiB\nname='x'\n");
    xlcfg_free(cfg);
}

static void test_last_wins_and_append(void **state)
{
    xlcfg_cfg *cfg = parse("memory = 1\nmemory = 2\nextra = 'a'\n"
                           "extra += ' b'\nextra += 'c'\n"
                           "disk = ['x']\ndisk += ['y', 'z']\n"
                           "cmdline += 'new'\n",
                           NULL, 0);
    const xlcfg_value *v;

    assert_string_equal(xlcfg_get(cfg, "memory")->text, "2");
    assert_string_equal(xlcfg_get(cfg, "extra")->text, "a bc");
    v = xlcfg_get(cfg, "disk");
    assert_int_equal(v->nitems, 3);
    assert_string_equal(v->items[2]->text, "z");
    /* Items keep their own spans. */
    assert_int_equal(v->items[1]->span.line, 7);
    /* += on an unset key is a plain assignment. */
    assert_string_equal(xlcfg_get(cfg, "cmdline")->text, "new");
    assert_null(xlcfg_get(cfg, "nope"));
    xlcfg_free(cfg);
}

static void test_later_source_overrides(void **state)
{
    xlcfg_cfg *cfg = parse("name = 'a'\nvcpus = 1\n", NULL, 0);
    const xlcfg_value *v;
    xlcfg_loc loc;

    assert_int_equal(xlcfg_read(cfg, "<command line>", "vcpus=4", 7, NULL), 0);
    v = xlcfg_get(cfg, "vcpus");
    assert_string_equal(v->text, "4");
    assert_int_equal(v->source, 1);
    xlcfg_value_loc(cfg, v, &loc);
    assert_string_equal(loc.file, "<command line>");
    assert_int_equal(loc.col, 7);
    v = xlcfg_get(cfg, "name");
    xlcfg_value_loc(cfg, v, &loc);
    /* Strings: the column of the first character inside the quotes. */
    assert_int_equal(loc.col, 9);
    assert_memory_equal(loc.source_line, "name = 'a'", 10);
    xlcfg_free(cfg);
}

static void expect_error(const char *text, unsigned line, unsigned col,
                         const char *msg)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_cfg *cfg = parse(text, d, EINVAL);
    const xlcfg_diag *g = xlcfg_diags_get(d, 0);

    assert_non_null(g);
    if (strcmp(g->message, msg) != 0 || g->line != line || g->col != col)
        fail_msg("%s: got %u:%u %s", text, g->line, g->col, g->message);
    assert_int_equal(g->severity, XLCFG_SEV_ERROR);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
}

static void test_python_constructs(void **state)
{
    expect_error("memory = 256 * 4\n", 1, 14, "arithmetic is not supported");
    expect_error("memory = 256 + 4\n", 1, 14, "arithmetic is not supported");
    expect_error("kernel = '/boot/' + 'vmlinuz'\n", 1, 19,
                 "'+' concatenation is not supported");
    expect_error("name = 'vm%d' % 3\n", 1, 15,
                 "'%' string formatting is not supported");
    expect_error("import os\n", 1, 1, "'import' is Python, not xl.cfg");
    expect_error("acpi = True\n", 1, 8,
                 "'True' is Python, not an xl.cfg value");
    expect_error("acpi = False\n", 1, 8,
                 "'False' is Python, not an xl.cfg value");
    expect_error("name = myvm\n", 1, 8, "unquoted word 'myvm'");
    expect_error("cpus = (1, 2)\n", 1, 8, "tuples are not supported");
    expect_error("cpus = 1, 2\n", 1, 9, "tuples are not supported");
    expect_error("x = {'a': 1}\n", 1, 5, "dicts are not supported");
    expect_error("x = -1\n", 1, 5, "negative numbers are not supported");
    expect_error("x = 0.5\n", 1, 5, "decimal number '0.5' is not supported");
    expect_error("disk = [ 'a', \\\n 'b' ]\n", 1, 15,
                 "line continuation '\\' is not supported");
    expect_error("x = os.path.join('a')\n", 1, 5,
                 "function call 'os.path.join()' is not supported");
    expect_error("Memory = 1\n", 1, 1, "invalid key 'Memory'");
    expect_error("x 1\n", 1, 3,
                 "expected '=' or '+=' after 'x', found a number");
    expect_error("x =\n", 1, 4, "missing value");
    expect_error("x = 1 y = 2\n", 1, 7,
                 "expected end of line or ';' after the value, found a word");
    expect_error("x = [1 2]\n", 1, 8,
                 "expected ',' or ']' in list, found a number");
    expect_error("x = [1,\n", 1, 5, "unterminated list");
    expect_error("x = 'a'\nx += 1\n", 2, 6, "cannot append a number to 'x'");
    expect_error("x = 'a'\nx += ['b']\n", 2, 6,
                 "cannot append a list to 'x', which is a string");
    expect_error("= 1\n", 1, 1, "expected a key, found '='");
}

static void test_all_errors_reported_and_recovery(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_cfg *cfg = parse("a = 1 + 1\n"
                           "b = 'ok'\n"
                           "c = [ 'x',\n"
                           "      y ]\n"
                           "d = 'fine'\n"
                           "e = [ 'never closed',\n"
                           "f = 'after'\n",
                           d, EINVAL);

    assert_int_equal(xlcfg_diags_errors(d), 3);
    assert_int_equal(xlcfg_diags_get(d, 0)->line, 1);
    assert_int_equal(xlcfg_diags_get(d, 1)->line, 4);
    assert_int_equal(xlcfg_diags_get(d, 2)->line, 6);
    /* Statements that parsed are kept. */
    assert_string_equal(xlcfg_get(cfg, "b")->text, "ok");
    assert_string_equal(xlcfg_get(cfg, "d")->text, "fine");
    assert_string_equal(xlcfg_get(cfg, "f")->text, "after");
    assert_null(xlcfg_get(cfg, "c"));
    assert_int_equal(xlcfg_nsettings(cfg), 3);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
}

static void test_error_cap(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    char text[2048] = "";

    for (int i = 0; i < 30; i++)
        strcat(text, "x = True\n");
    xlcfg_free(parse(text, d, EINVAL));
    assert_int_equal(xlcfg_diags_errors(d), XLCFG_DIAG_MAX);
    xlcfg_diags_free(d);
}

static void test_deep_nesting_is_bounded(void **state)
{
    size_t n = 100000;
    char *text = malloc(n + 1);
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_cfg *cfg = xlcfg_new();

    memcpy(text, "x = ", 4);
    memset(text + 4, '[', n - 4);
    text[n] = '\0';
    assert_int_equal(xlcfg_read(cfg, "deep", text, n, d), EINVAL);
    assert_string_equal(xlcfg_diags_get(d, 0)->message,
                        "lists nested more than 64 deep");
    assert_int_equal(xlcfg_diags_get(d, 0)->col, 69);
    free(text);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
}

static void test_empty_and_odd_inputs(void **state)
{
    xlcfg_cfg *cfg = parse("", NULL, 0);

    assert_int_equal(xlcfg_nsettings(cfg), 0);
    assert_int_equal(xlcfg_read(cfg, "c", "\n;;\n# only\n", 11, NULL), 0);
    assert_int_equal(xlcfg_read(cfg, "n", "x = 'a\0b'", 9, NULL), EINVAL);
    assert_int_equal(xlcfg_read(cfg, "z", NULL, 0, NULL), 0);
    assert_int_equal(xlcfg_nsources(cfg), 4);
    xlcfg_free(cfg);
}

static void test_read_file(void **state)
{
    xlcfg_cfg *cfg = xlcfg_new();
    xlcfg_diags *d = xlcfg_diags_new();
    char path[] = "/tmp/test_parser.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");

    fputs("name = 'f'\n", f);
    fclose(f);
    assert_int_equal(xlcfg_read_file(cfg, path, d), 0);
    assert_string_equal(xlcfg_get(cfg, "name")->text, "f");
    unlink(path);
    assert_int_equal(xlcfg_read_file(cfg, path, d), ENOENT);
    assert_int_equal(xlcfg_diags_errors(d), 1);
    assert_string_equal(xlcfg_diags_get(d, 0)->file, path);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements_and_spans),
        cmocka_unit_test(test_rewrite_from_span),
        cmocka_unit_test(test_last_wins_and_append),
        cmocka_unit_test(test_later_source_overrides),
        cmocka_unit_test(test_python_constructs),
        cmocka_unit_test(test_all_errors_reported_and_recovery),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_deep_nesting_is_bounded),
        cmocka_unit_test(test_empty_and_odd_inputs),
        cmocka_unit_test(test_read_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
