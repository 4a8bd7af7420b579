/* test_rate.c: vif rate limits ("10Mb/s@20ms"), as the reference computes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxlcfg.h"

static void ok(const char *rate, uint64_t bytes, uint32_t usecs)
{
    uint64_t b = 1;
    uint32_t u = 1;
    int rc = xlcfg_parse_rate(rate, NULL, &b, &u, NULL);

    if (rc)
        fail_msg("'%s' refused (%d)", rate, rc);
    if (b != bytes || u != usecs)
        fail_msg("'%s': %llu bytes per %u us, want %llu per %u", rate,
                 (unsigned long long)b, u, (unsigned long long)bytes, usecs);
}

/* Refused, with an error at column 20 + `off` mentioning `msg`. */
static void bad(const char *rate, size_t off, const char *msg)
{
    xlcfg_loc loc = {"t.cfg", 2, 20, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    const xlcfg_diag *g;
    uint64_t b = 1;
    uint32_t u = 1;

    assert_non_null(d);
    if (xlcfg_parse_rate(rate, &loc, &b, &u, d) != EINVAL)
        fail_msg("'%s' accepted", rate);
    assert_int_equal(xlcfg_diags_errors(d), 1);
    g = xlcfg_diags_get(d, xlcfg_diags_count(d) - 1);
    assert_int_equal(g->severity, XLCFG_SEV_ERROR);
    if (!strstr(g->message, msg))
        fail_msg("'%s': message '%s' lacks '%s'", rate, g->message, msg);
    if (g->col != 20 + off)
        fail_msg("'%s': column %u, want %zu", rate, g->col, 20 + off);
    assert_int_equal(b, 0);
    xlcfg_diags_free(d);
}

/* Xen's check-xl-vif-parse expectations. */
static void test_reference_units(void **state)
{
    (void)state;
    ok("16000000b/s", 100000, 50000);
    ok("16000000b/s@50ms", 100000, 50000);
    ok("2000000B/s", 100000, 50000);
    ok("2000000B/s@50ms", 100000, 50000);
    ok("16Kb/s", 100, 50000);
    ok("16Kb/s@50ms", 100, 50000);
    ok("2KB/s", 100, 50000);
    ok("2KB/s@50ms", 100, 50000);
    ok("16Mb/s", 100000, 50000);
    ok("16Mb/s@50ms", 100000, 50000);
    ok("2MB/s", 100000, 50000);
    ok("2MB/s@50ms", 100000, 50000);
    ok("8Gb/s", 50000000, 50000);
    ok("8Gb/s@50ms", 50000000, 50000);
    ok("1GB/s", 50000000, 50000);
    ok("1GB/s@50ms", 50000000, 50000);
    ok("80Mb/s@1s", 10000000, 1000000);
    ok("10MB/s@1s", 10000000, 1000000);
}

static void test_intervals(void **state)
{
    (void)state;
    ok("1MB/s@20ms", 20000, 20000); /* the man page's example */
    ok("1MB/s@20m", 20000, 20000);
    ok("1MB/s@2", 2000000, 2000000);
    ok("1MB/s@500us", 500, 500);
    ok("1MB/s@500u", 500, 500);
    ok("4294967295B/s@1us", 4294, 1);
    ok("1B/s@4294967295us", 4294, 4294967295u);
    ok("010B/s@1s", 8, 1000000); /* octal, as strtoull(..., 0) */
}

static void test_reference_errors(void **state)
{
    (void)state;
    bad("foo", 0, "invalid rate");
    bad("10MB", 3, "invalid rate unit");
    bad("10MB/m", 3, "invalid rate unit");
    bad("10ZB", 2, "invalid rate unit");
    bad("10ZB/s", 2, "invalid rate unit");
    bad("10ZB/m", 2, "invalid rate unit");
    bad("4294967296b/s", 0, "too large");
    bad("4294967296Kb/s", 0, "too large");
    bad("4294967296Mb/s", 0, "too large");
    bad("4294967296Gb/s", 0, "too large");
    bad("0B/s", 0, "zero");
    bad("10Mb/s@foo", 7, "invalid replenishment interval");
    bad("10Mb/s@10h", 9, "invalid replenishment interval");
    bad("10MB/s@foo", 7, "invalid replenishment interval");
    bad("10MB/s@10h", 9, "invalid replenishment interval");
    bad("1B/s@4294967296us", 5, "too large");
    bad("1B/s@4294968ms", 5, "too large");
    bad("1B/s@4295s", 5, "too large");
    bad("1B/s@0us", 5, "zero");
    bad("4294967295GB/s@5us", 0, "overflows");
    bad("4296MB/s@4294s", 0, "overflows");
    bad("@", 0, "no rate");
    bad("", 0, "no rate");
    bad("08B/s", 0, "octal");
    bad("10MB/s@", 7, "invalid replenishment interval");
    bad("10MB/s@1msx", 8, "invalid replenishment interval");
    bad("10mb/s", 2, "invalid rate unit");
    bad("10MB/sx", 3, "invalid rate unit");
}

static void test_rounds_to_zero_warns(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    uint64_t b = 1;
    uint32_t u = 0;

    (void)state;
    /* 1 bit/s is 0 bytes/s in the reference: 0 means unlimited */
    assert_int_equal(xlcfg_parse_rate("1b/s", NULL, &b, &u, d), 0);
    assert_int_equal(b, 0);
    assert_int_equal(u, 50000);
    assert_int_equal(xlcfg_diags_errors(d), 0);
    assert_int_equal(xlcfg_diags_warnings(d), 1);
    assert_non_null(strstr(xlcfg_diags_get(d, 0)->message, "unlimited"));
    xlcfg_diags_free(d);
}

#ifdef SPECS_REFERENCE
#include <libxl.h>
#include <libxlutil.h>

static const char *pick(const char *const *a, size_t n, unsigned long *seed)
{
    *seed = *seed * 6364136223846793005ul + 1442695040888963407ul;
    return a[(*seed >> 33) % n];
}

/* Generated rates through Debian's libxlutil and ours: the same verdict
 * and the same credit and interval, octal quirk included. */
static void test_against_reference(void **state)
{
    static const char *const nums[] = {
        "0",    "1",  "7",   "8",          "10",         "010",
        "08",   "16", "999", "4294967295", "4294967296", "18446744073709551616",
        "4296", "",
    };
    static const char *const units[] = {"B",  "b",  "KB", "Kb", "MB", "Mb",
                                        "GB", "Gb", "ZB", "mb", "kB"};
    static const char *const pers[] = {"/s", "/m", "", "/s/s"};
    static const char *const ivn[] = {
        "0",    "1",       "20",         "0100",       "09", "4294",
        "4295", "4294968", "4294967295", "4294967296", ""};
    static const char *const ivu[] = {"", "s", "ms", "us", "m", "u", "h"};
    FILE *devnull = fopen("/dev/null", "w");
    unsigned long seed = 99;
    int i, agreed_ok = 0;

    (void)state;
    assert_non_null(devnull);
#define PICK(a) pick(a, sizeof(a) / sizeof(a[0]), &seed)
    for (i = 0; i < 20000; i++) {
        XLU_Config *cfg = xlu_cfg_init(devnull, "ref");
        libxl_device_nic nic;
        char rate[128];
        uint64_t b = 0;
        uint32_t u = 0;
        int rr, ro, n;

        assert_non_null(cfg);
        n = snprintf(rate, sizeof(rate), "%s%s%s", PICK(nums), PICK(units),
                     PICK(pers));
        if (i % 3)
            snprintf(rate + n, sizeof(rate) - (size_t)n, "@%s%s", PICK(ivn),
                     PICK(ivu));
        libxl_device_nic_init(&nic);
        errno = 0; /* libxlutil tests errno without clearing it */
        rr = xlu_vif_parse_rate(cfg, rate, &nic);
        ro = xlcfg_parse_rate(rate, NULL, &b, &u, NULL);
        if (!rr != !ro)
            fail_msg("'%s': libxlutil says %d, we say %d", rate, rr, ro);
        if (!rr &&
            (b != nic.rate_bytes_per_interval || u != nic.rate_interval_usecs))
            fail_msg("'%s': %llu/%u, libxlutil %llu/%u", rate,
                     (unsigned long long)b, u,
                     (unsigned long long)nic.rate_bytes_per_interval,
                     nic.rate_interval_usecs);
        agreed_ok += !rr;
        libxl_device_nic_dispose(&nic);
        xlu_cfg_destroy(cfg);
    }
#undef PICK
    fclose(devnull);
    assert_true(agreed_ok > 500);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_units),
        cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_reference_errors),
        cmocka_unit_test(test_rounds_to_zero_warns),
#ifdef SPECS_REFERENCE
        cmocka_unit_test(test_against_reference),
#endif
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
