/* test_keys_translate.c: the key table (libxlcfg/keys_table.h) and xl's
 * translation agree, over the corpus tests/cfg/keys/KEY[-VARIANT].cfg
 * (one small complete guest per key). For every file: validate, start
 * read tracking, translate without a hypervisor. Then:
 *  (a) every translated or deprecated key is read for its own file;
 *  (b) every key translation asks for is in the table;
 *  (c) every key of the table has a corpus file;
 *  (d) a refused key's file fails validation and translation, each with
 *      one error at the key carrying the table's note (other files
 *      validate and translate cleanly). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxl.h>

#include "libxlcfg.h"
#include "translate.h"
#include "xlconf.h"

/* Whether `name` is reported for the first time (each unknown name is
 * reported once, not for every file). */
static bool note_unknown(const char *name)
{
    static char seen[64][64];
    static size_t n;

    for (size_t i = 0; i < n; i++)
        if (!strcmp(seen[i], name))
            return false;
    if (n < 64)
        snprintf(seen[n++], sizeof(seen[0]), "%s", name);
    return true;
}

struct corpus {
    char dir[4096];
    char **files; /* sorted names, "KEY[-VARIANT].cfg" */
    size_t n;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void corpus_load(struct corpus *c)
{
    const char *top = getenv("top_srcdir");
    DIR *d;
    struct dirent *e;
    size_t cap = 0;

    snprintf(c->dir, sizeof(c->dir), "%s/tests/cfg/keys", top ? top : ".");
    d = opendir(c->dir);
    if (!d)
        fail_msg("cannot open %s: %s", c->dir, strerror(errno));
    c->files = NULL;
    c->n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);

        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
            continue;
        if (c->n == cap) {
            cap = cap ? 2 * cap : 256;
            c->files = realloc(c->files, cap * sizeof(*c->files));
            assert_non_null(c->files);
        }
        c->files[c->n] = strdup(e->d_name);
        assert_non_null(c->files[c->n]);
        c->n++;
    }
    closedir(d);
    qsort(c->files, c->n, sizeof(*c->files), cmp_str);
}

static void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->files[i]);
    free(c->files);
}

/* The key a corpus file exercises: its name up to '-' or ".cfg". */
static char *key_of(const char *file)
{
    size_t len = strcspn(file, "-.");
    char *k = strndup(file, len);

    assert_non_null(k);
    return k;
}

static void dump_diags(const char *file, const xlcfg_diags *d)
{
    char *s = xlcfg_diags_format(d);

    print_error("%s:\n%s", file, s ? s : "(out of memory)\n");
    free(s);
}

/* Whether d holds an error at loc whose message carries `note`. */
static bool error_at(const xlcfg_diags *d, const xlcfg_loc *loc,
                     const char *note)
{
    for (size_t i = 0; i < xlcfg_diags_count(d); i++) {
        const xlcfg_diag *g = xlcfg_diags_get(d, i);

        if (g->severity == XLCFG_SEV_ERROR && g->line == loc->line &&
            g->col == loc->col && g->file && loc->file &&
            !strcmp(g->file, loc->file) && strstr(g->message, note))
            return true;
    }
    return false;
}

static void test_table_and_translation_agree(void **state)
{
    struct corpus c;
    const xlcfg_keyinfo *table;
    size_t nkeys = xlcfg_keys(&table);
    bool *has_file = calloc(nkeys, sizeof(bool));
    bool *read_own = calloc(nkeys, sizeof(bool));
    unsigned failures = 0;
    struct xl_conf conf;

    (void)state;
    assert_non_null(has_file);
    assert_non_null(read_own);
    xl_conf_init(&conf);
    corpus_load(&c);
    assert_true(c.n >= nkeys);

    for (size_t f = 0; f < c.n; f++) {
        char path[8192], *key = key_of(c.files[f]);
        const xlcfg_keyinfo *ki = xlcfg_key_lookup(key);
        xlcfg_cfg *cfg = xlcfg_new();
        xlcfg_diags *vd = xlcfg_diags_new(), *td = xlcfg_diags_new();
        libxl_domain_config dc;
        const char **names = NULL;
        size_t nnames = 0;
        xlcfg_loc loc;
        int rc;

        assert_non_null(cfg);
        assert_non_null(vd);
        assert_non_null(td);
        snprintf(path, sizeof(path), "%s/%s", c.dir, c.files[f]);
        if (!ki) {
            print_error("%s: '%s' is not a key of the table\n", c.files[f],
                        key);
            failures++;
            goto next;
        }
        has_file[ki - table] = true;
        if (xlcfg_read_file(cfg, path, vd) || xlcfg_key_loc(cfg, key, &loc)) {
            print_error("%s: cannot be read or does not set '%s'\n", c.files[f],
                        key);
            dump_diags(c.files[f], vd);
            failures++;
            goto next;
        }
        /* Validation refuses a refused key with the same error (so that
         * check-config agrees with create); anything else validates. */
        rc = xlcfg_validate(cfg, vd);
        if ((ki->flags & XLCFG_KF_REFUSED)
                ? !rc || xlcfg_diags_errors(vd) != 1 ||
                      !error_at(vd, &loc, ki->note)
                : rc != 0) {
            print_error("%s: unexpected validation result\n", c.files[f]);
            dump_diags(c.files[f], vd);
            failures++;
        }
        assert_int_equal(xlcfg_reads_reset(cfg), 0);
        libxl_domain_config_init(&dc);
        rc = xl_translate(NULL, cfg, &conf, XL_TR_REFERENCE_SCRIPTS, &dc, NULL,
                          td);
        libxl_domain_config_dispose(&dc);

        if (ki->flags & XLCFG_KF_REFUSED) { /* (d) */
            if (!rc || !error_at(td, &loc, ki->note)) {
                print_error("%s: refused key '%s' gives no error at %u:%u "
                            "with its note\n",
                            c.files[f], key, loc.line, loc.col);
                dump_diags(c.files[f], td);
                failures++;
            }
        } else if (rc) {
            print_error("%s: translation fails\n", c.files[f]);
            dump_diags(c.files[f], td);
            failures++;
        }
        if (xlcfg_key_was_read(cfg, key))
            read_own[ki - table] = true;

        /* (b) */
        assert_int_equal(xlcfg_reads_list(cfg, &names, &nnames), 0);
        for (size_t i = 0; i < nnames; i++)
            if (!xlcfg_key_lookup(names[i]) && note_unknown(names[i])) {
                print_error("%s: translation reads '%s', which is not in "
                            "keys_table.h\n",
                            c.files[f], names[i]);
                failures++;
            }
        free(names);
    next:
        free(key);
        xlcfg_diags_free(vd);
        xlcfg_diags_free(td);
        xlcfg_free(cfg);
    }

    for (size_t i = 0; i < nkeys; i++) {
        unsigned fl = table[i].flags;
        bool honoured = !(fl & (XLCFG_KF_XM | XLCFG_KF_REFUSED)) ||
                        (fl & XLCFG_KF_DEPRECATED);

        if (!has_file[i]) { /* (c) */
            print_error("'%s' has no file in tests/cfg/keys/\n", table[i].name);
            failures++;
        }
        if (honoured && has_file[i] && !read_own[i]) { /* (a) */
            print_error("'%s' is %s in keys_table.h but translation never "
                        "reads it\n",
                        table[i].name,
                        fl & XLCFG_KF_DEPRECATED ? "deprecated" : "translated");
            failures++;
        }
    }
    corpus_free(&c);
    free(has_file);
    free(read_own);
    if (failures)
        fail_msg("%u disagreements between keys_table.h and translation",
                 failures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_and_translation_agree),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
