/* Unit tests for libxlcfg's internal machinery: the growable string
 * and array doubling (strbuf.c), and the spec item splitter (specsplit.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "specs_internal.h"

static void test_buf_grows(void **state)
{
    xlcfg__buf b = {0};
    char *s;
    size_t caps = 0, last_cap = 0;

    (void)state;
    for (int i = 0; i < 1000; i++) {
        xlcfg__buf_char(&b, (char)('a' + i % 26));
        if (b.cap != last_cap) {
            caps++;
            last_cap = b.cap;
        }
        assert_int_equal(b.s[b.len], '\0');
    }
    assert_int_equal(b.len, 1000);
    assert_true(caps <= 6); /* doubling: 64, 128, ..., 1024 */
    xlcfg__buf_str(&b, "|");
    xlcfg__buf_add(&b, "xyz", 2);
    xlcfg__buf_printf(&b, "%u-%s", 42u, "end");
    assert_int_equal(b.err, 0);
    s = xlcfg__buf_take(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), 1000 + 1 + 2 + 6);
    assert_string_equal(s + 1000, "|xy42-end");
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    free(s);
}

static void test_buf_empty_and_errors(void **state)
{
    xlcfg__buf b = {0};
    char *s;

    (void)state;
    s = xlcfg__buf_take(&b); /* nothing added: "" */
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(xlcfg__buf_reserve(&b, 100), 0);
    assert_true(b.cap >= 101);
    assert_string_equal(b.s, "");
    /* The first failure sticks: later appends do nothing. */
    xlcfg__buf_str(&b, "kept");
    b.err = ENOMEM;
    xlcfg__buf_str(&b, "dropped");
    assert_string_equal(b.s, "kept");
    assert_int_equal(xlcfg__buf_reserve(&b, 1), ENOMEM);
    assert_null(xlcfg__buf_take(&b));
    assert_int_equal(b.err, 0);
    xlcfg__buf_str(&b, "again");
    xlcfg__buf_free(&b);
    assert_null(b.s);
}

static void test_grow(void **state)
{
    int *v = NULL;
    size_t cap = 0, n;

    (void)state;
    for (n = 0; n < 100; n++) {
        int *nv = xlcfg__grow(v, &cap, n, sizeof(*v), 4);

        assert_non_null(nv);
        v = nv;
        v[n] = (int)n;
        assert_true(cap > n);
    }
    assert_int_equal(cap, 128); /* 4, 8, ..., 128 */
    assert_ptr_equal(xlcfg__grow(v, &cap, 5, sizeof(*v), 4), v);
    assert_int_equal(v[99], 99);
    free(v);
}

/* The items of a spec as "b-e/end" triples. */
static void split_as(const char *spec, const char *lead, const char *want)
{
    xlcfg__split sp;
    xlcfg__item it;
    char got[256] = "";

    xlcfg__split_init(&sp, spec, lead);
    while (xlcfg__split_next(&sp, &it))
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%zu-%zu/%zu ",
                 it.b, it.e, it.end);
    assert_string_equal(got, want);
}

static void test_split(void **state)
{
    xlcfg__split sp;
    xlcfg__item it;

    (void)state;
    split_as("", NULL, "0-0/0 "); /* the empty spec: one empty item */
    split_as("a", NULL, "0-1/1 ");
    split_as("a,b", NULL, "0-1/1 2-3/3 ");
    split_as("a,", NULL, "0-1/1 "); /* a trailing comma starts none */
    split_as("a,,b", NULL, "0-1/1 2-2/2 3-4/4 ");
    split_as(" a \t, b\r", NULL, "1-2/4 6-7/8 ");
    split_as("a, ", NULL, "0-1/1 3-3/3 ");
    /* Only the given blanks are skipped before an item; any trailing. */
    split_as("\ra ,\tb", " \t\n", "0-2/3 5-6/6 ");
    /* target=: the rest, commas included, less one trailing comma. */
    xlcfg__split_init(&sp, "xvda,target=/a,b,", NULL);
    assert_true(xlcfg__split_next(&sp, &it));
    assert_true(xlcfg__split_next(&sp, &it));
    assert_int_equal(it.b, 5);
    xlcfg__split_rest(&sp, it.b + 7, &it);
    assert_int_equal(it.b, 12);
    assert_int_equal(it.e, 16);
    assert_int_equal(it.end, 17);
    assert_false(xlcfg__split_next(&sp, &it));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows),
        cmocka_unit_test(test_buf_empty_and_errors),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_split),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
