/* test_edit.c: lossless editing, diffs and atomic writes of libxlcfg. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxlcfg.h"

/* Parse `text` (must be valid) and start editing it. */
static xlcfg_edit *edit_of(const char *text, xlcfg_cfg **cfg_r)
{
    xlcfg_cfg *cfg = xlcfg_new();
    xlcfg_edit *e;

    assert_non_null(cfg);
    assert_int_equal(xlcfg_read(cfg, "t.cfg", text, strlen(text), NULL), 0);
    e = xlcfg_edit_new(cfg, 0);
    assert_non_null(e);
    *cfg_r = cfg;
    return e;
}

static void expect_text(const xlcfg_edit *e, const char *want)
{
    size_t len;
    const char *got = xlcfg_edit_text(e, &len);

    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
}

static void test_untouched_is_identical(void **state)
{
    const char *text = "# guest\r\nname = 'a' # the name\r\n"
                       "disk = [ 'phy:/dev/vg/a,xvda,w',\r\n"
                       "   'file:/x,xvdb,r', ]\r\nmemory=512;vcpus=2";
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of(text, &cfg);

    (void)state;
    expect_text(e, text);
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_set_in_place_keeps_comments(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("# top\nmemory = 512 # MiB\nname = \"x\"\n", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_set_number(e, "memory", 1024), 0);
    expect_text(e, "# top\nmemory = 1024 # MiB\nname = \"x\"\n");
    assert_int_equal(xlcfg_edit_set(e, "name", "'y'", NULL), 0);
    expect_text(e, "# top\nmemory = 1024 # MiB\nname = 'y'\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_set_string_quote_style(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("name = 'a'\nkernel = 'k'\n", &cfg);

    (void)state;
    /* new key: the file's quote; a quote inside picks the other one */
    assert_int_equal(xlcfg_edit_set_string(e, "extra", "console=hvc0"), 0);
    assert_int_equal(xlcfg_edit_set_string(e, "cmdline", "it's"), 0);
    expect_text(e, "name = 'a'\nkernel = 'k'\nextra = 'console=hvc0'\n"
                   "cmdline = \"it's\"\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_new_key_placement_and_alignment(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e =
        edit_of("name    = \"g\"\nkernel  = \"/k\"\nmemory  = 128\n", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_set_string(e, "ramdisk", "/r"), 0);
    assert_int_equal(xlcfg_edit_set_string(e, "type", "pv"), 0);
    expect_text(e, "name    = \"g\"\ntype    = \"pv\"\nkernel  = \"/k\"\n"
                   "ramdisk = \"/r\"\nmemory  = 128\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_append_to_file_without_newline(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("name='g'", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_set_number(e, "vcpus", 2), 0);
    expect_text(e, "name='g'\nvcpus=2\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_set_drops_appends(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e =
        edit_of("extra = 'a'\nextra += ' b' # more\nname = 'g'\n", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_set_string(e, "extra", "c"), 0);
    expect_text(e, "extra = 'c'\nname = 'g'\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_unset(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("name = 'g'\n# the boot order\nboot = 'cd' # "
                            "disk first\nmemory=1; vcpus=2\n",
                            &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_unset(e, "boot"), 0);
    expect_text(e, "name = 'g'\n# the boot order\nmemory=1; vcpus=2\n");
    assert_int_equal(xlcfg_edit_unset(e, "memory"), 0);
    expect_text(e, "name = 'g'\n# the boot order\nvcpus=2\n");
    assert_int_equal(xlcfg_edit_unset(e, "nosuch"), ENOENT);
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_append_lists(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("vif = [ 'bridge=a' ]\n"
                            "disk = [\n    'x,xvda,w',\n]\n",
                            &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_append(e, "vif", "bridge=b"), 0);
    assert_int_equal(xlcfg_edit_append(e, "disk", "y,xvdb,r"), 0);
    assert_int_equal(xlcfg_edit_append(e, "pci", "01:00.0"), 0);
    expect_text(e, "vif = [ 'bridge=a', 'bridge=b' ]\n"
                   "disk = [\n    'x,xvda,w',\n    'y,xvdb,r',\n]\n"
                   "pci = [ '01:00.0' ]\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_set_strlist_keeps_multiline(void **state)
{
    static const char *const items[] = {"a", "b"};
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("disk = [\n\t\"x\",\n]\n", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_set_strlist(e, "disk", items, 2), 0);
    expect_text(e, "disk = [\n\t\"a\",\n\t\"b\",\n]\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_comment_out_and_back(void **state)
{
    const char *orig = "name = 'g'\nboot = 'cd' # order\n"
                       "disk = [\n  'a,hda,w',\n]\nvcpus=1; serial='pty'\n";
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of(orig, &cfg);
    size_t n = 0;

    (void)state;
    assert_int_equal(xlcfg_edit_comment_out(e, "boot", "#P: "), 0);
    assert_int_equal(xlcfg_edit_comment_out(e, "disk", "#P: "), 0);
    expect_text(e, "name = 'g'\n#P: boot = 'cd' # order\n"
                   "#P: disk = [\n#P:   'a,hda,w',\n#P: ]\n"
                   "vcpus=1; serial='pty'\n");
    assert_null(xlcfg_get(xlcfg_edit_cfg(e), "boot"));
    assert_int_equal(xlcfg_edit_uncomment(e, NULL, "#P: ", &n), 0);
    assert_int_equal(n, 2);
    expect_text(e, orig);
    /* a key set meanwhile wins over its parked value */
    assert_int_equal(xlcfg_edit_comment_out(e, "boot", "#P: "), 0);
    assert_int_equal(xlcfg_edit_set_string(e, "boot", "d"), 0);
    assert_int_equal(xlcfg_edit_uncomment(e, "boot", "#P: ", &n), 0);
    assert_int_equal(n, 0);
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_comment_out_shared_line(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("vcpus=1; serial='pty'\nname='g'\n", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_comment_out(e, "serial", "#P: "), 0);
    expect_text(e, "vcpus=1;\n#P: serial='pty'\nname='g'\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_set_rejects_bad_value(void **state)
{
    xlcfg_cfg *cfg;
    xlcfg_edit *e = edit_of("name='g'\n", &cfg);

    (void)state;
    assert_int_equal(xlcfg_edit_set(e, "memory", "512 + 1", NULL), EINVAL);
    assert_int_equal(xlcfg_edit_set(e, "Bad", "1", NULL), EINVAL);
    assert_int_equal(xlcfg_edit_set(e, "memory", "1; x=2", NULL), EINVAL);
    expect_text(e, "name='g'\n");
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
}

static void test_unified_diff(void **state)
{
    const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const char *b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    char *d = xlcfg_unified_diff("f.cfg", a, strlen(a), b, strlen(b));

    (void)state;
    assert_non_null(d);
    assert_string_equal(d, "--- a/f.cfg\n+++ b/f.cfg\n@@ -2,7 +2,7 @@\n"
                           " 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    free(d);
    d = xlcfg_unified_diff("f.cfg", a, strlen(a), a, strlen(a));
    assert_string_equal(d, "");
    free(d);
    d = xlcfg_unified_diff("f", "x", 1, "x\n", 2);
    assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-x\n"
                           "\\ No newline at end of file\n+x\n");
    free(d);
}

static void test_atomic_write_and_backup(void **state)
{
    char dir[] = "/tmp/xlcfg-edit-XXXXXX", path[64], bak[80], buf[16];
    FILE *f;
    struct stat st;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/g.cfg", dir);
    snprintf(bak, sizeof(bak), "%s.bak", path);
    assert_int_equal(xlcfg_write_file_atomic(path, "a=1\n", 4, true), 0);
    assert_int_equal(access(bak, F_OK), -1); /* nothing to back up */
    chmod(path, 0600);
    assert_int_equal(xlcfg_write_file_atomic(path, "a=2\n", 4, true), 0);
    f = fopen(bak, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "a=1\n");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* mode kept */
    unlink(bak);
    unlink(path);
    rmdir(dir);
}

/* Every file of the golden corpus comes back byte for byte when each key
 * is set again to the value text it has: the spans the edits patch are
 * exact. */
static void test_corpus_round_trip(void **state)
{
    const char *top = getenv("top_srcdir");
    char dirpath[4096];
    DIR *dir;
    struct dirent *de;
    int files = 0;

    (void)state;
    snprintf(dirpath, sizeof(dirpath), "%s/tests/cfg/pass", top ? top : ".");
    dir = opendir(dirpath);
    assert_non_null(dir); /* the golden corpus is part of the tree */
    while ((de = readdir(dir))) {
        char path[8192];
        xlcfg_cfg *cfg;
        xlcfg_edit *e;
        size_t len, elen, i;
        const char *src, *out;

        if (!strstr(de->d_name, ".cfg"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dirpath, de->d_name);
        cfg = xlcfg_new();
        assert_non_null(cfg);
        if (xlcfg_read_file(cfg, path, NULL)) {
            xlcfg_free(cfg);
            continue; /* a pass file with errors is the golden test's */
        }
        e = xlcfg_edit_new(cfg, 0);
        assert_non_null(e);
        src = xlcfg_source_text(cfg, 0, &len);
        for (i = 0; i < xlcfg_nsettings(cfg); i++) {
            const xlcfg_setting *s = xlcfg_setting_at(cfg, i);
            char *v;

            if (s->append || !s->value)
                continue;
            v = strndup(src + s->value->span.begin,
                        s->value->span.end - s->value->span.begin);
            assert_non_null(v);
            if (xlcfg_get(cfg, s->key) == s->value) /* the effective one */
                assert_int_equal(xlcfg_edit_set(e, s->key, v, NULL), 0);
            free(v);
        }
        out = xlcfg_edit_text(e, &elen);
        if (len != elen || memcmp(src, out, len))
            fail_msg("%s changed by a no-op edit", de->d_name);
        xlcfg_edit_free(e);
        xlcfg_free(cfg);
        files++;
    }
    closedir(dir);
    assert_true(files > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untouched_is_identical),
        cmocka_unit_test(test_set_in_place_keeps_comments),
        cmocka_unit_test(test_set_string_quote_style),
        cmocka_unit_test(test_new_key_placement_and_alignment),
        cmocka_unit_test(test_append_to_file_without_newline),
        cmocka_unit_test(test_set_drops_appends),
        cmocka_unit_test(test_unset),
        cmocka_unit_test(test_append_lists),
        cmocka_unit_test(test_set_strlist_keeps_multiline),
        cmocka_unit_test(test_comment_out_and_back),
        cmocka_unit_test(test_comment_out_shared_line),
        cmocka_unit_test(test_set_rejects_bad_value),
        cmocka_unit_test(test_unified_diff),
        cmocka_unit_test(test_atomic_write_and_backup),
        cmocka_unit_test(test_corpus_round_trip),
    };

    return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
