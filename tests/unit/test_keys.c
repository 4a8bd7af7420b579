/* Unit tests for the known-key table: sorted, lookups, suggestions, and
 * every key documented in man/xl.cfg.5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void test_sorted_and_unique(void **state)
{
    const xlcfg_keyinfo *t;
    size_t n = xlcfg_keys(&t);

    assert_true(n > 150);
    for (size_t i = 1; i < n; i++)
        if (strcmp(t[i - 1].name, t[i].name) >= 0)
            fail_msg("table not sorted at '%s' / '%s'", t[i - 1].name,
                     t[i].name);
}

static void test_entries_are_complete(void **state)
{
    const xlcfg_keyinfo *t;
    size_t n = xlcfg_keys(&t);

    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].doc);
        assert_non_null(xlcfg_key_default(&t[i]));
        if (t[i].flags & (XLCFG_KF_XM | XLCFG_KF_DEPRECATED))
            if (!t[i].note)
                fail_msg("'%s' is xm/deprecated without a note", t[i].name);
        if (t[i].min <= t[i].max && t[i].type != XLCFG_KT_NUMBER)
            fail_msg("'%s' has bounds but is not a number", t[i].name);
    }
}

static void test_lookup(void **state)
{
    const xlcfg_keyinfo *k = xlcfg_key_lookup("memory");

    assert_non_null(k);
    assert_int_equal(k->type, XLCFG_KT_NUMBER);
    assert_int_equal(xlcfg_key_lookup("disk")->type, XLCFG_KT_LIST);
    assert_int_equal(xlcfg_key_lookup("cpus")->type, XLCFG_KT_STRING_OR_LIST);
    assert_int_equal(xlcfg_key_lookup("acpi")->type, XLCFG_KT_BOOL);
    assert_true(xlcfg_key_lookup("ip")->flags & XLCFG_KF_XM);
    assert_true(xlcfg_key_lookup("builder")->flags & XLCFG_KF_XM);
    assert_null(xlcfg_key_lookup("memroy"));
    assert_null(xlcfg_key_lookup(""));
    assert_null(xlcfg_key_lookup(NULL));
    /* First and last entries are found (bsearch bounds). */
    {
        const xlcfg_keyinfo *t;
        size_t n = xlcfg_keys(&t);

        assert_ptr_equal(xlcfg_key_lookup(t[0].name), &t[0]);
        assert_ptr_equal(xlcfg_key_lookup(t[n - 1].name), &t[n - 1]);
    }
}

static void test_suggest(void **state)
{
    assert_string_equal(xlcfg_key_suggest("memroy"), "memory");
    assert_string_equal(xlcfg_key_suggest("memorry"), "memory");
    assert_string_equal(xlcfg_key_suggest("Memory"), "memory");
    assert_string_equal(xlcfg_key_suggest("vpcus"), "vcpus");
    assert_string_equal(xlcfg_key_suggest("on_crahs"), "on_crash");
    assert_string_equal(xlcfg_key_suggest("bootlaoder"), "bootloader");
    assert_null(xlcfg_key_suggest("completely_unrelated"));
    assert_null(xlcfg_key_suggest(""));
    assert_int_equal(xlcfg__edit_distance("kitten", "sitting", 10), 3);
    assert_int_equal(xlcfg__edit_distance("ab", "ba", 10), 1);
    assert_int_equal(xlcfg__edit_distance("same", "same", 0), 0);
}

/* Every key has a row in the key table of man/xl.cfg.5 (a tbl row starts
 * with the name and a tab). */
static void test_man_page_has_every_key(void **state)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    FILE *f;
    char *man = NULL;
    size_t len = 0;
    const xlcfg_keyinfo *t;
    size_t n = xlcfg_keys(&t);

    snprintf(path, sizeof(path), "%s/man/xl.cfg.5", top ? top : ".");
    f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    {
        char buf[4096];
        size_t got;

        while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
            man = realloc(man, len + got + 1);
            memcpy(man + len, buf, got);
            len += got;
        }
        man[len] = '\0';
    }
    fclose(f);
    for (size_t i = 0; i < n; i++) {
        char row[128];

        snprintf(row, sizeof(row), "\n%s\t", t[i].name);
        if (!strstr(man, row))
            fail_msg("key '%s' is missing from man/xl.cfg.5", t[i].name);
    }
    free(man);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_and_unique),
        cmocka_unit_test(test_entries_are_complete),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_man_page_has_every_key),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
