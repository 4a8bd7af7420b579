/* Unit tests for the known-key table: sorted, lookups, suggestions, and
 * every key documented in man/xl.cfg.5. */
#include <errno.h>
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
        if (t[i].flags & (XLCFG_KF_XM | XLCFG_KF_DEPRECATED | XLCFG_KF_REFUSED))
            if (!t[i].note)
                fail_msg("'%s' is xm/deprecated/refused without a note",
                         t[i].name);
        /* One state per key: a refused key is neither warned nor used. */
        if ((t[i].flags & XLCFG_KF_REFUSED) &&
            (t[i].flags & (XLCFG_KF_XM | XLCFG_KF_DEPRECATED)))
            fail_msg("'%s' is refused and xm/deprecated", t[i].name);
        if (t[i].note && !(t[i].flags & (XLCFG_KF_XM | XLCFG_KF_DEPRECATED |
                                         XLCFG_KF_REFUSED)))
            fail_msg("'%s' has a note but no state that shows it", t[i].name);
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

/* The one "did you mean" rule (suggest.c), shared by config keys and the
 * disk/vif/pci options: optimal string alignment distance with ASCII case
 * ignored, at most a third of the word's length in edits (at least 1, at
 * most 2), the earlier candidate on a tie. */
static void test_suggest_rule(void **state)
{
    static const char *const words[] = {"access", "format", "vdev", "script",
                                        "ab1",    "ab2",    NULL};
    static const struct {
        const char *word;
        const char *want; /* NULL: no suggestion */
    } cases[] = {
        {"acess", "access"},  /* one deletion */
        {"accses", "access"}, /* a swap of neighbours is one edit */
        {"ACCESS", "access"}, /* case costs nothing */
        {"AcCeSs", "access"},
        {"axxess", "access"}, /* 6 letters: 2 edits allowed */
        {"axxesx", NULL},     /* 3 edits */
        {"vedv", "vdev"},     /* 4 letters: 1 edit (a swap) */
        {"vxyv", NULL},       /* 4 letters, 2 edits */
        {"fmt", NULL},        /* 3 letters, 3 edits */
        {"scirpt", "script"},
        {"xformat3", "format"}, /* 8 letters: 2 insertions */
        {"xxformatx", NULL},    /* 9 letters: still at most 2 edits */
        {"formatting", NULL},
        {"ab", "ab1"}, /* a tie: the earlier candidate */
        {"ab3", "ab1"},
        {"", NULL},
    };
    char hint[64] = "untouched";
    char longw[80];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got =
            xlcfg__suggest(cases[i].word, strlen(cases[i].word), words);

        if (cases[i].want)
            assert_string_equal(got, cases[i].want);
        else
            assert_null(got);
    }
    /* Only a prefix of the word counts: "accessx" read as "access". */
    assert_string_equal(xlcfg__suggest("acessx", 5, words), "access");
    assert_int_equal(xlcfg__suggest_limit(0), 1);
    assert_int_equal(xlcfg__suggest_limit(5), 1);
    assert_int_equal(xlcfg__suggest_limit(6), 2);
    assert_int_equal(xlcfg__suggest_limit(60), 2);
    /* Words of 63 bytes or more only match themselves (case aside). */
    memset(longw, 'a', 70);
    longw[70] = '\0';
    {
        const char *const one[] = {longw, NULL};
        char other[80];

        memcpy(other, longw, sizeof(other));
        other[0] = 'A';
        assert_ptr_equal(xlcfg__suggest(other, 70, one), longw);
        other[69] = 'b';
        assert_null(xlcfg__suggest(other, 70, one));
    }
    assert_null(xlcfg__did_you_mean(hint, sizeof(hint), "zzzz", 4, words));
    assert_string_equal(hint, "untouched");
    assert_ptr_equal(xlcfg__did_you_mean(hint, sizeof(hint), "acess", 5, words),
                     hint);
    assert_string_equal(hint, "did you mean 'access'?");
    /* The public entry point follows the same rule over the key table. */
    assert_string_equal(xlcfg_key_suggest("MEMROY"), "memory");
    assert_null(xlcfg_key_suggest("my_custom_setting"));
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

/* Read tracking: what the getters were asked for after a reset. */
static void test_read_tracking(void **state)
{
    static const char text[] = "name = \"g\"\nmemory = 256\ntype = \"pv\"\n"
                               "my_key = 1\n";
    xlcfg_cfg *cfg = xlcfg_new();
    const char **names = NULL;
    long long l;
    size_t n = 99;
    xlcfg_loc loc;

    (void)state;
    assert_non_null(cfg);
    assert_int_equal(xlcfg_read(cfg, "t.cfg", text, strlen(text), NULL), 0);
    /* Not recording yet. */
    assert_non_null(xlcfg_get(cfg, "name"));
    assert_false(xlcfg_key_was_read(cfg, "name"));
    assert_int_equal(xlcfg_reads_list(cfg, &names, &n), EINVAL);

    assert_int_equal(xlcfg_reads_reset(cfg), 0);
    /* Validation reads type, builder, kernel and name: none counts. */
    xlcfg_validate(cfg, NULL);
    assert_int_equal(xlcfg_reads_list(cfg, &names, &n), 0);
    assert_int_equal(n, 0);
    free(names);
    /* Neither does locating a key. */
    assert_int_equal(xlcfg_key_loc(cfg, "memory", &loc), 0);
    assert_int_equal(loc.line, 2);
    assert_int_equal(loc.col, 1);
    assert_string_equal(loc.file, "t.cfg");
    assert_int_equal(xlcfg_key_loc(cfg, "vcpus", &loc), ENOENT);
    assert_false(xlcfg_key_was_read(cfg, "memory"));

    assert_int_equal(xlcfg_get_long(cfg, "memory", &l, NULL), 0);
    assert_int_equal(xlcfg_get_long(cfg, "maxmem", &l, NULL), ENOENT);
    assert_null(xlcfg_get(cfg, "not_a_key"));
    assert_null(xlcfg_get(cfg, "not_a_key"));
    assert_true(xlcfg_key_was_read(cfg, "memory"));
    assert_true(xlcfg_key_was_read(cfg, "maxmem")); /* asked, not set */
    assert_true(xlcfg_key_was_read(cfg, "not_a_key"));
    assert_false(xlcfg_key_was_read(cfg, "my_key")); /* set, not asked */
    assert_false(xlcfg_key_was_read(cfg, "name"));
    assert_int_equal(xlcfg_reads_list(cfg, &names, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "maxmem");
    assert_string_equal(names[1], "memory");
    assert_string_equal(names[2], "not_a_key");
    free(names);

    /* A reset forgets. */
    assert_int_equal(xlcfg_reads_reset(cfg), 0);
    assert_false(xlcfg_key_was_read(cfg, "memory"));
    assert_false(xlcfg_key_was_read(cfg, "not_a_key"));
    assert_int_equal(xlcfg_reads_list(cfg, &names, NULL), 0);
    free(names);
    xlcfg_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_and_unique),
        cmocka_unit_test(test_entries_are_complete),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_suggest_rule),
        cmocka_unit_test(test_man_page_has_every_key),
        cmocka_unit_test(test_read_tracking),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
