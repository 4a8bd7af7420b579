/* test_vif.c: vif spec parser (xl-network-configuration(5)). */
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

static void parse_ok(const char *spec, xlcfg_vif *vif)
{
    xlcfg_diags *d = xlcfg_diags_new();
    int rc;

    assert_non_null(d);
    rc = xlcfg_parse_vif(spec, NULL, vif, d);
    if (rc)
        fail_msg("'%s' refused: %s", spec,
                 xlcfg_diags_count(d) ? xlcfg_diags_get(d, 0)->message : "?");
    assert_int_equal(xlcfg_diags_errors(d), 0);
    xlcfg_diags_free(d);
}

/* Refused; the first error is at column 5 + off, mentions msg, and has a
 * hint mentioning hint (if not NULL). */
static void bad(const char *spec, size_t off, const char *msg, const char *hint)
{
    xlcfg_loc loc = {"t.cfg", 7, 5, "vif = [...]"};
    xlcfg_diags *d = xlcfg_diags_new();
    const xlcfg_diag *g = NULL;
    xlcfg_vif vif;
    size_t i;

    assert_non_null(d);
    if (xlcfg_parse_vif(spec, &loc, &vif, d) != EINVAL)
        fail_msg("'%s' accepted", spec);
    for (i = 0; i < xlcfg_diags_count(d); i++) {
        g = xlcfg_diags_get(d, i);
        if (g->severity == XLCFG_SEV_ERROR)
            break;
    }
    assert_true(i < xlcfg_diags_count(d));
    if (!strstr(g->message, msg))
        fail_msg("'%s': message '%s' lacks '%s'", spec, g->message, msg);
    assert_int_equal(g->line, 7);
    if (g->col != 5 + off)
        fail_msg("'%s': column %u, want %zu", spec, g->col, 5 + off);
    if (hint) {
        assert_non_null(g->hint);
        if (!strstr(g->hint, hint))
            fail_msg("'%s': hint '%s' lacks '%s'", spec, g->hint, hint);
    }
    xlcfg_vif_dispose(&vif);
    xlcfg_diags_free(d);
}

static void test_defaults(void **state)
{
    xlcfg_vif vif;

    (void)state;
    parse_ok("", &vif);
    assert_null(vif.mac);
    assert_null(vif.bridge);
    assert_null(vif.script);
    assert_null(vif.rate);
    assert_int_equal(vif.type, XLCFG_VIF_TYPE_UNSPEC);
    assert_int_equal(vif.devid, -1);
    assert_int_equal(vif.mtu, 0);
    assert_int_equal(vif.trusted, -1);
    assert_int_equal(vif.ncolo, 0);
    xlcfg_vif_dispose(&vif);
    parse_ok(" , ,", &vif);
    assert_null(vif.mac);
    xlcfg_vif_dispose(&vif);
}

static void test_all_keys(void **state)
{
    xlcfg_vif vif;

    (void)state;
    parse_ok("mac=00:16:3E:74:3d:76, model=e1000,bridge=xenbr1,"
             "ip=10.0.0.2 10.0.0.3,script=vif-route,vifname=web0,"
             "backend=netdd,gatewaydev=eth1,rate=10Mb/s,type=ioemu,"
             "mtu=9000,devid=3,trusted",
             &vif);
    assert_string_equal(vif.mac, "00:16:3e:74:3d:76");
    assert_string_equal(vif.model, "e1000");
    assert_string_equal(vif.bridge, "xenbr1");
    assert_string_equal(vif.ip, "10.0.0.2 10.0.0.3");
    assert_string_equal(vif.script, "vif-route");
    assert_string_equal(vif.vifname, "web0");
    assert_string_equal(vif.backend, "netdd");
    assert_string_equal(vif.gatewaydev, "eth1");
    assert_string_equal(vif.rate, "10Mb/s");
    assert_int_equal(vif.rate_bytes_per_interval, 62500);
    assert_int_equal(vif.rate_interval_usecs, 50000);
    assert_int_equal(vif.type, XLCFG_VIF_TYPE_IOEMU);
    assert_int_equal(vif.mtu, 9000);
    assert_int_equal(vif.devid, 3);
    assert_int_equal(vif.trusted, 1);
    xlcfg_vif_dispose(&vif);

    parse_ok("type=vif,untrusted,mac=02-00-00-0a-0B-c", &vif);
    assert_int_equal(vif.type, XLCFG_VIF_TYPE_VIF);
    assert_int_equal(vif.trusted, 0);
    assert_string_equal(vif.mac, "02:00:00:0a:0b:0c");
    xlcfg_vif_dispose(&vif);

    /* last one wins, as in the reference */
    parse_ok("bridge=a,bridge=b", &vif);
    assert_string_equal(vif.bridge, "b");
    xlcfg_vif_dispose(&vif);
}

static void test_deprecated_and_colo(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_vif vif;

    (void)state;
    assert_int_equal(xlcfg_parse_vif("netdev=eth0,accel=x,forwarddev=eth2,"
                                     "colo_compare_out=c0",
                                     NULL, &vif, d),
                     0);
    assert_int_equal(xlcfg_diags_errors(d), 0);
    assert_int_equal(xlcfg_diags_warnings(d), 2);
    assert_string_equal(vif.gatewaydev, "eth0");
    assert_non_null(strstr(xlcfg_diags_get(d, 0)->hint, "gatewaydev"));
    assert_non_null(strstr(xlcfg_diags_get(d, 1)->message, "accel"));
    assert_int_equal(vif.ncolo, 2);
    assert_string_equal(vif.colo[0], "forwarddev=eth2");
    assert_string_equal(vif.colo[1], "colo_compare_out=c0");
    xlcfg_vif_dispose(&vif);
    xlcfg_diags_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    bad("foo", 0, "unknown vif option 'foo'", "key=value");
    bad("mac=00:16:3e:00:00:01,brige=xenbr0", 22, "unknown vif option 'brige'",
        "did you mean 'bridge'?");
    bad("bridge=x, vifnme=v", 10, "'vifnme'", "did you mean 'vifname'?");
    /* One "did you mean" rule for keys and options: case costs nothing. */
    bad("MAC=00:16:3e:00:00:01", 0, "unknown vif option 'MAC'",
        "did you mean 'mac'?");
    bad("mac=01:16:3e:00:00:01", 4, "multicast", "02:");
    bad("mac=00:16:3e:00:00", 4, "invalid MAC address", NULL);
    bad("mac=00:16:3e:00:00:01:02", 4, "invalid MAC address", NULL);
    bad("mac=00:16:3e:00:00:100", 4, "invalid MAC address", NULL);
    bad("mac=00:16-3e:00:00:01", 4, "invalid MAC address", NULL);
    bad("mac=zz:16:3e:00:00:01", 4, "invalid MAC address", NULL);
    bad("mac=", 4, "invalid MAC address", NULL);
    bad("type=pv", 5, "invalid vif type 'pv'", "ioemu");
    bad("rate=10MB", 8, "invalid rate unit", NULL);
    bad("bridge=b,rate=@", 14, "no rate", NULL);
    bad("rate=10Mb/s@10h", 14, "invalid replenishment interval", NULL);
    bad("devid=x", 6, "devid 'x' is not a number", NULL);
    bad("devid=70000", 6, "out of range", NULL);
    bad("mtu=10", 4, "out of range", NULL);
    bad("mtu=", 4, "not a number", NULL);
    bad("trusted=1", 0, "unknown vif option 'trusted'", NULL);
}

static void test_all_errors_reported(void **state)
{
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_vif vif;

    (void)state;
    assert_int_equal(xlcfg_parse_vif("brige=x,mac=zz,type=q", NULL, &vif, d),
                     EINVAL);
    assert_int_equal(xlcfg_diags_errors(d), 3);
    xlcfg_vif_dispose(&vif);
    xlcfg_diags_free(d);
}

/* network-attach's arguments: each one item as written, columns counted
 * in the line that shows them one blank apart. */
static void test_args(void **state)
{
    const char *ok_args[] = {"bridge=xenbr0,mac=00:16:3e:00:00:01", "trusted",
                             "colo_checkpoint_port=1",
                             "colo_checkpoint_port=2"};
    const char *bad_args[] = {"bridge=b", "", " mac=00:16:3e:00:00:01",
                              "mtu=x"};
    xlcfg_loc loc = {"<command line>", 1, 1, "..."};
    xlcfg_diags *d = xlcfg_diags_new();
    xlcfg_vif vif;

    (void)state;
    assert_non_null(d);
    assert_int_equal(xlcfg_parse_vif_args(4, ok_args, &loc, &vif, d), 0);
    assert_int_equal(xlcfg_diags_count(d), 0);
    /* no ',' splitting: the whole argument is the bridge */
    assert_string_equal(vif.bridge, "xenbr0,mac=00:16:3e:00:00:01");
    assert_null(vif.mac);
    assert_int_equal(vif.trusted, 1);
    assert_int_equal(vif.ncolo, 2);
    assert_string_equal(vif.colo[1], "colo_checkpoint_port=2");
    xlcfg_vif_dispose(&vif);

    assert_int_equal(xlcfg_parse_vif_args(4, bad_args, &loc, &vif, d), EINVAL);
    assert_int_equal(xlcfg_diags_errors(d), 3);
    /* "" starts at column 10, " mac" at 11, the mtu value at 38 */
    assert_int_equal(xlcfg_diags_get(d, 0)->col, 10);
    assert_non_null(strstr(xlcfg_diags_get(d, 0)->message, "''"));
    assert_int_equal(xlcfg_diags_get(d, 1)->col, 11);
    assert_non_null(strstr(xlcfg_diags_get(d, 1)->message, "' mac'"));
    assert_int_equal(xlcfg_diags_get(d, 2)->col, 38);
    xlcfg_vif_dispose(&vif);

    assert_int_equal(xlcfg_parse_vif_args(0, NULL, &loc, &vif, d), 0);
    assert_int_equal(vif.devid, -1);
    xlcfg_vif_dispose(&vif);
    xlcfg_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_all_keys),
        cmocka_unit_test(test_deprecated_and_colo),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_args),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
