/* test_xlconf.c: the one reader of xl.conf (xl/xlconf.c). */
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

#include "xlconf.h"

/* Read `text` as an xl.conf; returns xl_conf_read's result. */
static int read_text(struct xl_conf *c, const char *text, xlcfg_diags *d)
{
    char path[] = "/tmp/test_xlconf.XXXXXX";
    int fd = mkstemp(path), rc;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    rc = xl_conf_read(c, path, d);
    unlink(path);
    return rc;
}

static void test_defaults_and_missing_file(void **state)
{
    struct xl_conf c;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(xl_conf_read(&c, "/nonexistent/xl.conf", NULL), 0);
    assert_int_equal(c.run_hotplug_scripts, 1);
    assert_int_equal(c.claim_mode, 1);
    assert_int_equal(c.max_grant_frames, -1);
    assert_int_equal(c.max_maptrack_frames, -1);
    assert_null(c.blkdev_start);
    assert_null(c.vif_script);
    assert_true(c.kernel_cache);
    assert_null(c.kernel_cache_dir);
    assert_int_equal(c.kernel_cache_max_mb, 0);
    assert_int_equal(c.autoballoon, XL_AUTOBALLOON_AUTO);
    assert_null(c.lockfile);
    assert_int_equal(c.max_grant_version, -1);
    assert_false(c.domid_random);
    assert_int_equal(c.output_format, XL_OUTPUT_JSON);
    assert_false(c.vm_cpumask.set);
    assert_false(c.pv_cpumask.set);
    assert_false(c.hvm_cpumask.set);
    xl_conf_dispose(&c);
}

static void test_every_option(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    struct xl_conf c;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "run_hotplug_scripts = 0\n"
                               "claim_mode = 0\n"
                               "max_grant_frames = 64\n"
                               "max_maptrack_frames = 1024\n"
                               "blkdev_start = \"xvdb\"\n"
                               "vif.default.script = \"vif-nat\"\n"
                               "vif.default.bridge = \"br1\"\n"
                               "vif.default.gatewaydev = \"eth1\"\n"
                               "vif.default.backend = \"netdom\"\n"
                               "kernel_cache = 0\n"
                               "kernel_cache_dir = \"/srv/kc\"\n"
                               "kernel_cache_max_mb = 16\n"
                               "autoballoon = \"off\"\n"
                               "lockfile = \"/run/lock/xl-test\"\n",
                               d),
                     0);
    assert_int_equal(xlcfg_diags_count(d), 0);
    assert_int_equal(c.run_hotplug_scripts, 0);
    assert_int_equal(c.claim_mode, 0);
    assert_int_equal(c.max_grant_frames, 64);
    assert_int_equal(c.max_maptrack_frames, 1024);
    assert_string_equal(c.blkdev_start, "xvdb");
    assert_string_equal(c.vif_script, "vif-nat");
    assert_string_equal(c.vif_bridge, "br1");
    assert_string_equal(c.vif_gatewaydev, "eth1");
    assert_string_equal(c.vif_backend, "netdom");
    assert_false(c.kernel_cache);
    assert_string_equal(c.kernel_cache_dir, "/srv/kc");
    assert_int_equal(c.kernel_cache_max_mb, 16);
    assert_int_equal(c.autoballoon, XL_AUTOBALLOON_OFF);
    assert_string_equal(c.lockfile, "/run/lock/xl-test");
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
}

/* vifscript and defaultbridge still work, the new names win. */
static void test_deprecated_names(void **state)
{
    struct xl_conf c;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "vifscript = \"vif-route\"\n"
                               "defaultbridge = \"br0\"\n",
                               NULL),
                     0);
    assert_string_equal(c.vif_script, "vif-route");
    assert_string_equal(c.vif_bridge, "br0");
    xl_conf_dispose(&c);
    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "vifscript = \"vif-route\"\n"
                               "vif.default.script = \"vif-nat\"\n",
                               NULL),
                     0);
    assert_string_equal(c.vif_script, "vif-nat");
    xl_conf_dispose(&c);
}

/* A cache knob that is not what we take is warned about, not fatal. */
static void test_bad_cache_knobs_warn(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    struct xl_conf c;
    char *text;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "kernel_cache_dir = \"cache\"\n"
                               "kernel_cache_max_mb = 0\n",
                               d),
                     0);
    assert_null(c.kernel_cache_dir);
    assert_int_equal(c.kernel_cache_max_mb, 0);
    assert_int_equal(xlcfg_diags_warnings(d), 2);
    text = xlcfg_diags_format(d);
    assert_non_null(strstr(text, ":1:21: warning: kernel_cache_dir is "
                                 "ignored; the default is used"));
    free(text);
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
}

/* autoballoon's words, as the reference takes them. */
static void test_autoballoon(void **state)
{
    static const struct {
        const char *text;
        enum xl_autoballoon want;
    } cases[] = {
        {"autoballoon = \"on\"\n", XL_AUTOBALLOON_ON},
        {"autoballoon = \"1\"\n", XL_AUTOBALLOON_ON},
        {"autoballoon = 1\n", XL_AUTOBALLOON_ON},
        {"autoballoon = \"off\"\n", XL_AUTOBALLOON_OFF},
        {"autoballoon = 0\n", XL_AUTOBALLOON_OFF},
        {"autoballoon = \"auto\"\n", XL_AUTOBALLOON_AUTO},
    };
    xlcfg_diags *d;
    struct xl_conf c;
    char *text;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        xl_conf_init(&c);
        assert_int_equal(read_text(&c, cases[i].text, NULL), 0);
        assert_int_equal(c.autoballoon, cases[i].want);
        xl_conf_dispose(&c);
    }
    d = xlcfg_diags_new();
    xl_conf_init(&c);
    assert_int_equal(read_text(&c, "autoballoon = \"yes\"\n", d), EINVAL);
    text = xlcfg_diags_format(d);
    assert_non_null(strstr(text, ":1:16: error: invalid autoballoon 'yes'"));
    free(text);
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
}

/* Syntax and type errors: EINVAL, with FILE:LINE:COL diagnostics. */
static void test_errors(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    struct xl_conf c;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(read_text(&c, "claim_mode = \"yes\"\n", d), EINVAL);
    assert_true(xlcfg_diags_errors(d) > 0);
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
    d = xlcfg_diags_new();
    xl_conf_init(&c);
    assert_int_equal(read_text(&c, "claim_mode = = 1\n", d), EINVAL);
    assert_true(xlcfg_diags_errors(d) > 0);
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
}

/* The options of the domain's defaults and placement, and output_format. */
static void test_domain_options(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    struct xl_conf c;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "domid_policy = \"random\"\n"
                               "output_format = \"sxp\"\n"
                               "max_grant_version = 1\n"
                               "vm.cpumask = \"0-3,^2\"\n"
                               "vm.pv.cpumask = \"node:0\"\n"
                               "vm.hvm.cpumask = \"all\"\n",
                               d),
                     0);
    assert_int_equal(xlcfg_diags_count(d), 0);
    assert_true(c.domid_random);
    assert_int_equal(c.output_format, XL_OUTPUT_SXP);
    assert_int_equal(c.max_grant_version, 1);
    assert_true(c.vm_cpumask.set);
    assert_string_equal(c.vm_cpumask.text, "0-3,^2");
    assert_int_equal(c.vm_cpumask.list.nterms, 2);
    assert_true(c.vm_cpumask.list.terms[1].negate);
    assert_int_equal(c.vm_cpumask.line, 4);
    assert_int_equal(c.vm_cpumask.col, 15);
    assert_string_equal(c.vm_cpumask.source_line, "vm.cpumask = \"0-3,^2\"");
    assert_non_null(strstr(c.vm_cpumask.file, "test_xlconf"));
    assert_true(c.pv_cpumask.list.terms[0].nodes);
    assert_true(c.hvm_cpumask.list.terms[0].all);
    /* create -i / vcpu-pin -i */
    xl_conf_cpumask_clear(&c.vm_cpumask);
    assert_false(c.vm_cpumask.set);
    assert_null(c.vm_cpumask.text);
    xl_conf_dispose(&c);

    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "domid_policy = \"xen\"\n"
                               "output_format = \"json\"\n",
                               d),
                     0);
    assert_false(c.domid_random);
    assert_int_equal(c.output_format, XL_OUTPUT_JSON);
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
}

/* A value the reference would complain about and go on: an error here. */
static void test_bad_values(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"domid_policy = \"seq\"\n", ":1:17: error: invalid domid_policy "
                                     "'seq'"},
        {"output_format = \"xml\"\n", ":1:18: error: invalid "
                                      "output_format 'xml'"},
        {"max_grant_frames = 2147483648\n", ":1:20: error: max_grant_frames "
                                            "must be 0 to 2147483647, not "
                                            "2147483648"},
        {"max_maptrack_frames = 4294967296\n",
         ":1:23: error: max_maptrack_frames must be 0 to"},
        {"max_grant_version = 0x80000000\n", ":1:21: error: "
                                             "max_grant_version must be 0 to"},
        {"\nvm.cpumask = \"0-x\"\n", ":2:17: error: invalid CPU range '0-x'"},
        {"vm.hvm.cpumask = \"3-1\"\n", ":1:19: error: CPU range '3-1' runs "
                                       "backwards"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        xlcfg_diags *d = xlcfg_diags_new();
        struct xl_conf c;
        char *text;

        xl_conf_init(&c);
        assert_int_equal(read_text(&c, cases[i].text, d), EINVAL);
        text = xlcfg_diags_format(d);
        if (!strstr(text, cases[i].want))
            fail_msg("%s: got %s", cases[i].text, text);
        free(text);
        xl_conf_dispose(&c);
        xlcfg_diags_free(d);
    }
}

/* Deprecated names, options this xl has no use for and unknown keys are
 * warned about at the key, and the read succeeds. */
static void test_notes(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    struct xl_conf c;
    char *text;

    (void)state;
    xl_conf_init(&c);
    assert_int_equal(read_text(&c,
                               "vifscript = \"vif-route\"\n"
                               "defaultbridge = \"br0\"\n"
                               "remus.default.netbufscript = \"/x\"\n"
                               "colo.default.proxyscript = \"/y\"\n"
                               "  autoballon = \"off\"\n"
                               "frobnicate = 1\n",
                               d),
                     0);
    assert_int_equal(xlcfg_diags_errors(d), 0);
    assert_int_equal(xlcfg_diags_warnings(d), 6);
    text = xlcfg_diags_format(d);
    assert_non_null(strstr(text, ":1:1: warning: vifscript is deprecated"));
    assert_non_null(strstr(text, "note: write vif.default.script = "));
    assert_non_null(strstr(text, ":2:1: warning: defaultbridge is deprecated"));
    assert_non_null(strstr(text, "note: write vif.default.bridge = "));
    assert_non_null(strstr(text, ":3:1: warning: remus.default.netbufscript "
                                 "has no effect: this xl has no remus "
                                 "command"));
    assert_non_null(strstr(text, ":4:1: warning: colo.default.proxyscript "
                                 "has no effect"));
    assert_non_null(strstr(text, ":5:3: warning: unknown option 'autoballon' "
                                 "is ignored"));
    assert_non_null(strstr(text, "\n   autoballon = \"off\"\n   ^"));
    assert_non_null(strstr(text, ":5:3: note: did you mean 'autoballoon'?"));
    assert_non_null(strstr(text, ":6:1: warning: unknown option 'frobnicate' "
                                 "is ignored"));
    assert_non_null(strstr(text, ":6:1: note: xl.conf(5) lists the options"));
    free(text);
    /* the deprecated names are honoured all the same */
    assert_string_equal(c.vif_script, "vif-route");
    assert_string_equal(c.vif_bridge, "br0");
    assert_int_equal(c.autoballoon, XL_AUTOBALLOON_AUTO);
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
}

/* configs/xl.conf, the installed example: with every option uncommented
 * it reads without a word, and gives the defaults it claims. */
static void test_example_file(void **state)
{
    const char *top = getenv("top_srcdir");
    char path[4096], *text = NULL, *p;
    xlcfg_diags *d = xlcfg_diags_new();
    struct xl_conf c;
    size_t len = 0;
    FILE *f;

    (void)state;
    snprintf(path, sizeof(path), "%s/configs/xl.conf", top ? top : "..");
    f = fopen(path, "r");
    assert_non_null(f);
    text = calloc(1, 65536);
    assert_non_null(text);
    len = fread(text, 1, 65535, f);
    fclose(f);
    assert_true(len > 0);
    /* as shipped: all comments */
    xl_conf_init(&c);
    assert_int_equal(read_text(&c, text, d), 0);
    assert_int_equal(xlcfg_diags_count(d), 0);
    xl_conf_dispose(&c);
    /* "#key = value" lines uncommented */
    for (p = text; (p = strstr(p, "\n#")); p++)
        if (p[2] != ' ' && p[2] != '\n')
            p[1] = ' ';
    xl_conf_init(&c);
    assert_int_equal(read_text(&c, text, d), 0);
    if (xlcfg_diags_count(d))
        fail_msg("%s", xlcfg_diags_format(d));
    assert_int_equal(c.autoballoon, XL_AUTOBALLOON_AUTO);
    assert_string_equal(c.lockfile, XL_LOCKFILE_DEFAULT);
    assert_int_equal(c.claim_mode, 1);
    assert_int_equal(c.run_hotplug_scripts, 1);
    assert_false(c.domid_random);
    assert_int_equal(c.output_format, XL_OUTPUT_JSON);
    assert_true(c.vm_cpumask.set);
    assert_true(c.kernel_cache);
    assert_string_equal(c.vif_bridge, "xenbr0");
    xl_conf_dispose(&c);
    xlcfg_diags_free(d);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_missing_file),
        cmocka_unit_test(test_every_option),
        cmocka_unit_test(test_deprecated_names),
        cmocka_unit_test(test_bad_cache_knobs_warn),
        cmocka_unit_test(test_autoballoon),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_domain_options),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_example_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
