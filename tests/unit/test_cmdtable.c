/* test_cmdtable.c: the real xl command table and its prefix lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cmdtable.h"
#include "xl.h"

static void test_entries_complete(void **state)
{
    (void)state;
    assert_true(xl_cmdtable_len > 10);
    for (unsigned i = 0; i < xl_cmdtable_len; i++) {
        const struct cmd_spec *c = &xl_cmdtable[i];

        assert_non_null(c->name);
        assert_non_null(c->fn);
        assert_non_null(c->summary);
        assert_non_null(c->usage);
        /* names are what users type: lowercase words joined by '-' */
        assert_true(strlen(c->name) > 0);
        assert_int_equal(
            strspn(c->name, "abcdefghijklmnopqrstuvwxyz0123456789-"),
            strlen(c->name));
        assert_true(c->name[0] != '-');
        /* a summary is one line, without a final period (help adds it) */
        assert_null(strchr(c->summary, '\n'));
        assert_true(c->summary[strlen(c->summary) - 1] != '.');
    }
}

static void test_names_unique(void **state)
{
    (void)state;
    for (unsigned i = 0; i < xl_cmdtable_len; i++)
        for (unsigned j = i + 1; j < xl_cmdtable_len; j++)
            if (!strcmp(xl_cmdtable[i].name, xl_cmdtable[j].name))
                fail_msg("command '%s' is in the table twice",
                         xl_cmdtable[i].name);
}

static void test_exact_match_wins(void **state)
{
    unsigned n;

    (void)state;
    for (unsigned i = 0; i < xl_cmdtable_len; i++) {
        const struct cmd_spec *c = xl_cmd_find(xl_cmdtable[i].name, &n);

        assert_ptr_equal(c, &xl_cmdtable[i]);
        assert_int_equal(n, 1);
    }
}

/* Every command is reachable by its shortest unambiguous prefix, and the
 * prefix one shorter (when it matches several) is refused. */
static void test_unique_prefix(void **state)
{
    char buf[64];
    unsigned n;

    (void)state;
    for (unsigned i = 0; i < xl_cmdtable_len; i++) {
        const char *name = xl_cmdtable[i].name;
        size_t len;

        for (len = 1; len <= strlen(name); len++) {
            unsigned others = 0;

            for (unsigned j = 0; j < xl_cmdtable_len; j++)
                if (j != i && !strncmp(xl_cmdtable[j].name, name, len))
                    others++;
            if (!others)
                break;
        }
        if (len > strlen(name))
            continue; /* only reachable by its full name: checked above */
        snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
        assert_ptr_equal(xl_cmd_find(buf, &n), &xl_cmdtable[i]);
        assert_int_equal(n, 1);
        if (len > 1) {
            const struct cmd_spec *c;

            /* one shorter matches several: refused, unless it is the
             * exact name of another command */
            buf[len - 1] = '\0';
            c = xl_cmd_find(buf, &n);
            if (c)
                assert_string_equal(c->name, buf);
            else
                assert_true(n > 1);
        }
    }
}

static void test_ambiguous_lists_candidates(void **state)
{
    char expect[1024] = "", got[1024];
    const char *prefix = NULL;
    char one[2] = "";
    unsigned n;

    (void)state;
    /* Find a one-letter prefix shared by at least two commands. */
    for (unsigned i = 0; i < xl_cmdtable_len && !prefix; i++) {
        one[0] = xl_cmdtable[i].name[0];
        xl_cmd_find(one, &n);
        if (n > 1 && strcmp(xl_cmdtable[i].name, one))
            prefix = one;
    }
    assert_non_null(prefix);
    assert_null(xl_cmd_find(prefix, &n));
    assert_true(n > 1);

    for (unsigned i = 0; i < xl_cmdtable_len; i++) {
        if (strncmp(xl_cmdtable[i].name, prefix, strlen(prefix)))
            continue;
        if (*expect)
            strcat(expect, ", ");
        strcat(expect, xl_cmdtable[i].name);
    }
    xl_cmd_candidates(prefix, got, sizeof(got));
    assert_string_equal(got, expect);
}

static void test_candidates_truncate_safely(void **state)
{
    char small[8];

    (void)state;
    memset(small, 'X', sizeof(small));
    xl_cmd_candidates("", small, sizeof(small));
    assert_true(memchr(small, '\0', sizeof(small)) != NULL);
    xl_cmd_candidates("", small, 0); /* must not write */
}

static void test_unknown(void **state)
{
    unsigned n = 99;

    (void)state;
    assert_null(xl_cmd_find("no-such-command", &n));
    assert_int_equal(n, 0);
    n = 99;
    assert_null(xl_cmd_find("", &n));
    assert_int_equal(n, 0);
    /* longer than a real name is not a prefix match */
    assert_null(xl_cmd_find("listx", &n));
    assert_int_equal(n, 0);
}

static void test_core_commands_present(void **state)
{
    static const char *const core[] = {
        "check-config", "list",  "info",    "domid",   "domname",
        "uptime",       "dmesg", "vm-list", "destroy", "shutdown",
        "reboot",       "pause", "unpause", "rename",  "help",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
        const struct cmd_spec *c = xl_cmd_find(core[i], NULL);

        assert_non_null(c);
        assert_string_equal(c->name, core[i]);
    }
}

/* Prefixes of the control commands that Xen's xl (same rule: exact name,
 * else the one command the prefix starts) resolves, and that must stay
 * unique here: `xl debug R` is `xl debug-keys R` in both. */
static void test_control_prefixes(void **state)
{
    static const struct {
        const char *typed, *want;
    } cases[] = {
        {"debug", "debug-keys"},      {"deb", "debug-keys"},
        {"debug-keys", "debug-keys"}, {"trig", "trigger"},
        {"sysrq", "sysrq"},           {"sy", "sysrq"},
        {"dump", "dump-core"},        {"button", "button-press"},
        {"set", "set-parameters"},    {"set-parameters", "set-parameters"},
    };
    unsigned n;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct cmd_spec *c = xl_cmd_find(cases[i].typed, &n);

        if (!c || strcmp(c->name, cases[i].want))
            fail_msg("'%s' resolves to %s (%u matches), want %s",
                     cases[i].typed, c ? c->name : "nothing", n, cases[i].want);
    }
    /* "d" and "s" stay ambiguous (dmesg, domid, ...; shutdown, ...). */
    assert_null(xl_cmd_find("d", &n));
    assert_true(n > 1);
    assert_null(xl_cmd_find("s", &n));
    assert_true(n > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_complete),
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_exact_match_wins),
        cmocka_unit_test(test_unique_prefix),
        cmocka_unit_test(test_ambiguous_lists_candidates),
        cmocka_unit_test(test_candidates_truncate_safely),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_core_commands_present),
        cmocka_unit_test(test_control_prefixes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
