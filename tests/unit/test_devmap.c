/* test_devmap.c: disk/vif specs -> libxl structs, checked as libxl JSON. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devmap.h"
#include "xlconf.h"

/* Scripts directory the expected JSON below is written for. */
#define SD "/opt/xlt/scripts"

/* libxl's JSON ends with a newline; the expected texts below do not. */
static bool json_eq(const char *got, const char *want)
{
    size_t n = strlen(want);

    return strncmp(got, want, n) == 0 && strcmp(got + n, "\n") == 0;
}

struct disk_case {
    const char *spec;
    const char *json; /* NULL: the spec must be refused with EINVAL */
};

/* Xen's check-xl-disk-parse cases, plus our default block script on every
 * disk that libxl hands to the phy backend. */
#define J_VOLUME                                                               \
    "{\n"                                                                      \
    "    \"pdev_path\": \"/dev/vg/guest-volume\",\n"                           \
    "    \"vdev\": \"hda\",\n"                                                 \
    "    \"format\": \"raw\",\n"                                               \
    "    \"script\": \"" SD "/block\",\n"                                      \
    "    \"readwrite\": 1\n"                                                   \
    "}"
#define J_ISO                                                                  \
    "{\n"                                                                      \
    "    \"pdev_path\": \"/root/image.iso\",\n"                                \
    "    \"vdev\": \"hdc\",\n"                                                 \
    "    \"format\": \"raw\",\n"                                               \
    "    \"script\": \"" SD "/block\",\n"                                      \
    "    \"removable\": 1,\n"                                                  \
    "    \"is_cdrom\": 1\n"                                                    \
    "}"
#define J_EMPTY_CD_PATH                                                        \
    "{\n"                                                                      \
    "    \"pdev_path\": \"\",\n"                                               \
    "    \"vdev\": \"hdc\",\n"                                                 \
    "    \"format\": \"empty\",\n"                                             \
    "    \"removable\": 1,\n"                                                  \
    "    \"is_cdrom\": 1\n"                                                    \
    "}"
#define J_EMPTY_CD                                                             \
    "{\n"                                                                      \
    "    \"vdev\": \"hdc\",\n"                                                 \
    "    \"format\": \"empty\",\n"                                             \
    "    \"removable\": 1,\n"                                                  \
    "    \"is_cdrom\": 1\n"                                                    \
    "}"
#define IQN "iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-h"
#define J_ISCSI                                                                \
    "{\n"                                                                      \
    "    \"pdev_path\": \"" IQN "\",\n"                                        \
    "    \"vdev\": \"xvda\",\n"                                                \
    "    \"format\": \"raw\",\n"                                               \
    "    \"script\": \"block-iscsi\",\n"                                       \
    "    \"readwrite\": 1\n"                                                   \
    "}"

static const struct disk_case disk_cases[] = {
    {"foo", NULL},
    {"/dev/vg/guest-volume,,hda", J_VOLUME},
    {"/dev/vg/guest-volume,raw,hda,rw", J_VOLUME},
    {"format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume", J_VOLUME},
    {"raw:/dev/vg/guest-volume,hda,w", J_VOLUME},
    {"phy:/dev/vg/guest-volume,hda,w", J_VOLUME},
    {"/root/image.iso,,hdc,cdrom", J_ISO},
    {"/root/image.iso,,hdc,,cdrom", J_ISO},
    {"/root/image.iso,raw,hdc,devtype=cdrom", J_ISO},
    {"format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
     J_ISO},
    {"raw:/root/image.iso,hdc:cdrom,ro", J_ISO},
    {"backendtype=phy,vdev=xvdb,access=w,target=/dev/vg/guest-volume",
     "{\n"
     "    \"pdev_path\": \"/dev/vg/guest-volume\",\n"
     "    \"vdev\": \"xvdb\",\n"
     "    \"backend\": \"phy\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1\n"
     "}"},
    {"devtype=cdrom,,,hdc", J_EMPTY_CD_PATH},
    {",,hdc:cdrom,r", J_EMPTY_CD_PATH},
    {",hdc:cdrom,r", J_EMPTY_CD_PATH},
    {"vdev=hdc,access=r,devtype=cdrom,target=", J_EMPTY_CD_PATH},
    {",empty,hdc:cdrom,r", J_EMPTY_CD_PATH},
    {"vdev=hdc,access=r,devtype=cdrom,format=empty", J_EMPTY_CD},
    {"vdev=hdc,access=r,devtype=cdrom", J_EMPTY_CD},
    {"iscsi:" IQN ",xvda,w", J_ISCSI},
    {"vdev=xvda,access=w,script=block-iscsi,target=" IQN, J_ISCSI},
    {"drbd:app01,hda,w", "{\n"
                         "    \"pdev_path\": \"app01\",\n"
                         "    \"vdev\": \"hda\",\n"
                         "    \"format\": \"raw\",\n"
                         "    \"script\": \"block-drbd\",\n"
                         "    \"readwrite\": 1\n"
                         "}"},
    {"discard,vdev=hda,target=/some/disk/image.raw",
     "{\n"
     "    \"pdev_path\": \"/some/disk/image.raw\",\n"
     "    \"vdev\": \"hda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"discard_enable\": \"True\"\n"
     "}"},
    {"cdrom,no-discard,vdev=hda,target=/some/disk/image.iso",
     "{\n"
     "    \"pdev_path\": \"/some/disk/image.iso\",\n"
     "    \"vdev\": \"hda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"removable\": 1,\n"
     "    \"is_cdrom\": 1,\n"
     "    \"discard_enable\": \"False\"\n"
     "}"},
    {"trusted,vdev=hda,target=/some/disk/image.raw",
     "{\n"
     "    \"pdev_path\": \"/some/disk/image.raw\",\n"
     "    \"vdev\": \"hda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"trusted\": \"True\"\n"
     "}"},
    {"untrusted,vdev=hda,target=/some/disk/image.raw",
     "{\n"
     "    \"pdev_path\": \"/some/disk/image.raw\",\n"
     "    \"vdev\": \"hda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"trusted\": \"False\"\n"
     "}"},
    /* Not phy: libxl refuses a script for qdisk, so none is added. */
    {"/var/lib/xen/images/g.qcow2,qcow2,xvda,w",
     "{\n"
     "    \"pdev_path\": \"/var/lib/xen/images/g.qcow2\",\n"
     "    \"vdev\": \"xvda\",\n"
     "    \"format\": \"qcow2\",\n"
     "    \"readwrite\": 1\n"
     "}"},
    {"backendtype=qdisk,vdev=xvdb,target=/img.raw",
     "{\n"
     "    \"pdev_path\": \"/img.raw\",\n"
     "    \"vdev\": \"xvdb\",\n"
     "    \"backend\": \"qdisk\",\n"
     "    \"format\": \"raw\",\n"
     "    \"readwrite\": 1\n"
     "}"},
    /* A driver domain runs its own scripts. */
    {"backend=dd,vdev=xvdb,target=/dev/sdb",
     "{\n"
     "    \"backend_domname\": \"dd\",\n"
     "    \"pdev_path\": \"/dev/sdb\",\n"
     "    \"vdev\": \"xvdb\",\n"
     "    \"format\": \"raw\",\n"
     "    \"readwrite\": 1\n"
     "}"},
    /* Read-only raw file; a bare name of our script resolves to ours. */
    {"file:/img/a.raw,xvdc,r", "{\n"
                               "    \"pdev_path\": \"/img/a.raw\",\n"
                               "    \"vdev\": \"xvdc\",\n"
                               "    \"format\": \"raw\",\n"
                               "    \"script\": \"" SD "/block\"\n"
                               "}"},
    {"vdev=xvdd,script=block,target=/dev/sdc",
     "{\n"
     "    \"pdev_path\": \"/dev/sdc\",\n"
     "    \"vdev\": \"xvdd\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1\n"
     "}"},
    {"vdev=xvdd,script=/usr/local/bin/myblock,target=/dev/sdc",
     "{\n"
     "    \"pdev_path\": \"/dev/sdc\",\n"
     "    \"vdev\": \"xvdd\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"/usr/local/bin/myblock\",\n"
     "    \"readwrite\": 1\n"
     "}"},
    {"direct-io-safe,vdev=xvde,target=/dev/sdd",
     "{\n"
     "    \"pdev_path\": \"/dev/sdd\",\n"
     "    \"vdev\": \"xvde\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"direct_io_safe\": true\n"
     "}"},
    /* Accepted with a warning (the reference refuses upper case). */
    {"/dev/sdb,QCOW2,xvda", "{\n"
                            "    \"pdev_path\": \"/dev/sdb\",\n"
                            "    \"vdev\": \"xvda\",\n"
                            "    \"format\": \"qcow2\",\n"
                            "    \"readwrite\": 1\n"
                            "}"},
    /* specification=, the COLO keys and trusted reach libxl */
    {"specification=virtio,vdev=xvda,target=/dev/sdb",
     "{\n"
     "    \"pdev_path\": \"/dev/sdb\",\n"
     "    \"vdev\": \"xvda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"specification\": \"virtio\"\n"
     "}"},
    {"colo,colo-host=10.0.0.9,colo-port=9000,colo-export=e1,"
     "active-disk=/a.img,hidden-disk=/h.img,vdev=xvda,target=/dev/sdb",
     "{\n"
     "    \"pdev_path\": \"/dev/sdb\",\n"
     "    \"vdev\": \"xvda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"colo_enable\": \"True\",\n"
     "    \"colo_host\": \"10.0.0.9\",\n"
     "    \"colo_port\": 9000,\n"
     "    \"colo_export\": \"e1\",\n"
     "    \"active_disk\": \"/a.img\",\n"
     "    \"hidden_disk\": \"/h.img\"\n"
     "}"},
    {"no-colo,untrusted,vdev=xvda,target=/dev/sdb",
     "{\n"
     "    \"pdev_path\": \"/dev/sdb\",\n"
     "    \"vdev\": \"xvda\",\n"
     "    \"format\": \"raw\",\n"
     "    \"script\": \"" SD "/block\",\n"
     "    \"readwrite\": 1,\n"
     "    \"colo_enable\": \"False\",\n"
     "    \"trusted\": \"False\"\n"
     "}"},
    /* Errors. */
    {"/dev/sdb", NULL},                   /* no vdev */
    {"/dev/sdb,raw,xvda,rw,extra", NULL}, /* too many positionals */
    {"/dev/sdb,raw,xvda,x", NULL},        /* bad access */
    {"bogus=1,vdev=xvda,target=/x", NULL},
    {"vdev=xvda,backendtype=nfs,target=/x", NULL},
};

static void test_disk_cases(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(disk_cases) / sizeof(disk_cases[0]); i++) {
        const struct disk_case *c = &disk_cases[i];
        libxl_device_disk disk;
        xlcfg_diags *d = xlcfg_diags_new();
        char *json = NULL;
        int rc;

        assert_non_null(d);
        rc = xl_disk_from_spec(c->spec, NULL, &disk, d);
        if (!c->json) {
            if (rc != EINVAL)
                fail_msg("spec '%s': rc %d, want EINVAL", c->spec, rc);
            if (xlcfg_diags_errors(d) == 0)
                fail_msg("spec '%s': refused without a diagnostic", c->spec);
        } else {
            if (rc != 0)
                fail_msg("spec '%s': rc %d, want 0", c->spec, rc);
            json = libxl_device_disk_to_json(NULL, &disk);
            assert_non_null(json);
            if (!json_eq(json, c->json))
                fail_msg("spec '%s':\n got: %s\nwant: %s", c->spec, json,
                         c->json);
        }
        free(json);
        libxl_device_disk_dispose(&disk);
        xlcfg_diags_free(d);
    }
}

/* `xl block-attach D format=raw vdev=hda access=rw target=...`. */
static void test_disk_args(void **state)
{
    char a0[] = "format=raw", a1[] = "vdev=hda", a2[] = "access=rw",
         a3[] = "target=/dev/vg/guest-volume";
    char *args[] = {a0, a1, a2, a3};
    libxl_device_disk disk;
    char *json;

    (void)state;
    assert_int_equal(xl_disk_from_args(4, args, NULL, &disk, NULL), 0);
    json = libxl_device_disk_to_json(NULL, &disk);
    assert_non_null(json);
    assert_true(json_eq(json, J_VOLUME));
    free(json);
    libxl_device_disk_dispose(&disk);
}

struct nic_case {
    const char *spec;
    const char *json; /* NULL: refused with EINVAL */
};

#define J_SCRIPT "    \"script\": \"" SD "/vif-bridge\",\n"
#define J_SCRIPT_LAST "    \"script\": \"" SD "/vif-bridge\"\n"
#define J_RATE(bytes, usecs)                                                   \
    "{\n" J_SCRIPT "    \"rate_bytes_per_interval\": " #bytes ",\n"            \
    "    \"rate_interval_usecs\": " #usecs "\n"                                \
    "}"

/* Xen's check-xl-vif-parse rate cases, plus the other keys. */
static const struct nic_case nic_cases[] = {
    {"foo", NULL},
    {"rate=foo", NULL},
    {"rate=10MB", NULL},
    {"rate=10MB/m", NULL},
    {"rate=10ZB/s", NULL},
    {"rate=16000000b/s", J_RATE(100000, 50000)},
    {"rate=16000000b/s@50ms", J_RATE(100000, 50000)},
    {"rate=2000000B/s", J_RATE(100000, 50000)},
    {"rate=16Kb/s", J_RATE(100, 50000)},
    {"rate=2KB/s@50ms", J_RATE(100, 50000)},
    {"rate=16Mb/s", J_RATE(100000, 50000)},
    {"rate=2MB/s@50ms", J_RATE(100000, 50000)},
    {"rate=8Gb/s", J_RATE(50000000, 50000)},
    {"rate=1GB/s@50ms", J_RATE(50000000, 50000)},
    {"rate=4294967296b/s", NULL},
    {"rate=4294967296Gb/s", NULL},
    {"rate=0B/s", NULL},
    {"rate=10Mb/s@foo", NULL},
    {"rate=10MB/s@10h", NULL},
    {"rate=80Mb/s@1s", J_RATE(10000000, 1000000)},
    {"rate=10MB/s@1s", J_RATE(10000000, 1000000)},
    {"rate=1B/s@4294967296us", NULL},
    {"rate=1B/s@4295s", NULL},
    {"rate=1B/s@0us", NULL},
    {"rate=4294967295GB/s@5us", NULL},
    {"rate=4296MB/s@4294s", NULL},
    {"rate=@", NULL},
    {"", "{\n"
         "    \"script\": \"" SD "/vif-bridge\"\n"
         "}"},
    {"mac=00:16:3e:0a:0b:0c,bridge=xenbr1,vifname=web0,ip=10.0.0.2",
     "{\n"
     "    \"mac\": \"00:16:3e:0a:0b:0c\",\n"
     "    \"ip\": \"10.0.0.2\",\n"
     "    \"bridge\": \"xenbr1\",\n"
     "    \"ifname\": \"web0\",\n" J_SCRIPT_LAST "}"},
    {"type=ioemu,model=e1000,mtu=9000,devid=3",
     "{\n"
     "    \"devid\": 3,\n"
     "    \"mtu\": 9000,\n"
     "    \"model\": \"e1000\",\n" J_SCRIPT "    \"nictype\": \"vif_ioemu\"\n"
     "}"},
    {"type=vif,backend=netdd,gatewaydev=eth0",
     "{\n"
     "    \"backend_domname\": \"netdd\",\n" J_SCRIPT
     "    \"nictype\": \"vif\",\n"
     "    \"gatewaydev\": \"eth0\"\n"
     "}"},
    {"script=vif-route,ip=10.0.0.5", "{\n"
                                     "    \"ip\": \"10.0.0.5\",\n"
                                     "    \"script\": \"" SD "/vif-route\"\n"
                                     "}"},
    {"script=vif-openvswitch", "{\n"
                               "    \"script\": \"vif-openvswitch\"\n"
                               "}"},
    {"trusted", "{\n" J_SCRIPT "    \"trusted\": \"True\"\n"
                "}"},
    {"untrusted", "{\n" J_SCRIPT "    \"trusted\": \"False\"\n"
                  "}"},
    /* COLO: forwarddev is coloft_forwarddev; a later key wins */
    {"forwarddev=eth1,colo_compare_out=c1,colo_compare_out=c2",
     "{\n" J_SCRIPT "    \"coloft_forwarddev\": \"eth1\",\n"
     "    \"colo_compare_out\": \"c2\"\n"
     "}"},
    {"mac=00:16:3e:0a:0b", NULL},
    {"type=tap", NULL},
};

/* Every COLO key of Xen 4.17's xl and the libxl_device_nic field it sets. */
static const char *const colo_keys[] = {
    "forwarddev",
    "colo_sock_mirror_id",
    "colo_sock_mirror_ip",
    "colo_sock_mirror_port",
    "colo_sock_compare_pri_in_id",
    "colo_sock_compare_pri_in_ip",
    "colo_sock_compare_pri_in_port",
    "colo_sock_compare_sec_in_id",
    "colo_sock_compare_sec_in_ip",
    "colo_sock_compare_sec_in_port",
    "colo_sock_compare_notify_id",
    "colo_sock_compare_notify_ip",
    "colo_sock_compare_notify_port",
    "colo_sock_redirector0_id",
    "colo_sock_redirector0_ip",
    "colo_sock_redirector0_port",
    "colo_sock_redirector1_id",
    "colo_sock_redirector1_ip",
    "colo_sock_redirector1_port",
    "colo_sock_redirector2_id",
    "colo_sock_redirector2_ip",
    "colo_sock_redirector2_port",
    "colo_filter_mirror_queue",
    "colo_filter_mirror_outdev",
    "colo_filter_redirector0_queue",
    "colo_filter_redirector0_indev",
    "colo_filter_redirector0_outdev",
    "colo_filter_redirector1_queue",
    "colo_filter_redirector1_indev",
    "colo_filter_redirector1_outdev",
    "colo_compare_pri_in",
    "colo_compare_sec_in",
    "colo_compare_out",
    "colo_compare_notify_dev",
    "colo_sock_sec_redirector0_id",
    "colo_sock_sec_redirector0_ip",
    "colo_sock_sec_redirector0_port",
    "colo_sock_sec_redirector1_id",
    "colo_sock_sec_redirector1_ip",
    "colo_sock_sec_redirector1_port",
    "colo_filter_sec_redirector0_queue",
    "colo_filter_sec_redirector0_indev",
    "colo_filter_sec_redirector0_outdev",
    "colo_filter_sec_redirector1_queue",
    "colo_filter_sec_redirector1_indev",
    "colo_filter_sec_redirector1_outdev",
    "colo_filter_sec_rewriter0_queue",
    "colo_checkpoint_host",
    "colo_checkpoint_port",
};

static void test_nic_colo_keys(void **state)
{
    struct xl_conf conf;
    size_t i;

    (void)state;
    xl_conf_init(&conf);
    for (i = 0; i < sizeof(colo_keys) / sizeof(colo_keys[0]); i++) {
        const char *k = colo_keys[i];
        const char *field = strcmp(k, "forwarddev") ? k : "coloft_forwarddev";
        char spec[80], want[120], *json;
        libxl_device_nic nic;

        snprintf(spec, sizeof(spec), "%s=v%zu", k, i);
        snprintf(want, sizeof(want), "\"%s\": \"v%zu\"", field, i);
        if (xl_nic_from_spec(spec, &conf, NULL, &nic, NULL))
            fail_msg("vif '%s' refused", spec);
        json = libxl_device_nic_to_json(NULL, &nic);
        assert_non_null(json);
        if (!strstr(json, want))
            fail_msg("vif '%s': no %s in %s", spec, want, json);
        free(json);
        libxl_device_nic_dispose(&nic);
    }
}

/* network-attach: each argument one option as written (the reference
 * does not split them at ','). */
static void test_nic_args(void **state)
{
    struct xl_conf conf;
    char a0[] = "bridge=xenbr0,mac=00:16:3e:00:00:01", a1[] = "trusted",
         a2[] = "";
    char *args[] = {a0, a1, a2};
    xlcfg_loc loc = {"<command line>", 1, 1, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    libxl_device_nic nic;

    (void)state;
    xl_conf_init(&conf);
    assert_int_equal(xl_nic_from_args(2, args, &conf, &loc, &nic, d), 0);
    assert_string_equal(nic.bridge, "xenbr0,mac=00:16:3e:00:00:01");
    assert_true(libxl_defbool_val(nic.trusted));
    libxl_device_nic_dispose(&nic);
    /* an empty argument is refused, pointed at in the joined line */
    assert_int_equal(xl_nic_from_args(3, args, &conf, &loc, &nic, d), EINVAL);
    assert_int_equal(xlcfg_diags_errors(d), 1);
    assert_int_equal(xlcfg_diags_get(d, 0)->col, 45);
    assert_non_null(xlcfg_diags_get(d, 0)->source_line);
    libxl_device_nic_dispose(&nic);
    xlcfg_diags_free(d);
}

static void test_nic_cases(void **state)
{
    struct xl_conf conf;
    size_t i;

    (void)state;
    xl_conf_init(&conf);
    for (i = 0; i < sizeof(nic_cases) / sizeof(nic_cases[0]); i++) {
        const struct nic_case *c = &nic_cases[i];
        libxl_device_nic nic;
        xlcfg_diags *d = xlcfg_diags_new();
        char *json = NULL;
        int rc;

        assert_non_null(d);
        rc = xl_nic_from_spec(c->spec, &conf, NULL, &nic, d);
        if (!c->json) {
            if (rc != EINVAL)
                fail_msg("vif '%s': rc %d, want EINVAL", c->spec, rc);
            if (xlcfg_diags_errors(d) == 0)
                fail_msg("vif '%s': refused without a diagnostic", c->spec);
        } else {
            if (rc != 0)
                fail_msg("vif '%s': rc %d, want 0", c->spec, rc);
            json = libxl_device_nic_to_json(NULL, &nic);
            assert_non_null(json);
            if (!json_eq(json, c->json))
                fail_msg("vif '%s':\n got: %s\nwant: %s", c->spec, json,
                         c->json);
        }
        free(json);
        libxl_device_nic_dispose(&nic);
        xlcfg_diags_free(d);
    }
}

/* xl.conf vif.default.*: the starting point, overridden by the spec. */
static void test_nic_defaults(void **state)
{
    libxl_device_nic nic;
    char a0[] = "bridge=br9", a1[] = "mac=00:16:3e:00:00:01";
    char *args[] = {a0, a1};
    char *json;

    struct xl_conf conf;

    (void)state;
    xl_conf_init(&conf);
    conf.vif_script = strdup("vif-nat");
    conf.vif_bridge = strdup("xenbr7");
    conf.vif_gatewaydev = strdup("eth1");
    assert_int_equal(xl_nic_from_args(2, args, &conf, NULL, &nic, NULL), 0);
    json = libxl_device_nic_to_json(NULL, &nic);
    assert_non_null(json);
    assert_true(json_eq(json, "{\n"
                              "    \"mac\": \"00:16:3e:00:00:01\",\n"
                              "    \"bridge\": \"br9\",\n"
                              "    \"script\": \"" SD "/vif-nat\",\n"
                              "    \"gatewaydev\": \"eth1\"\n"
                              "}"));
    free(json);
    libxl_device_nic_dispose(&nic);
    xl_conf_dispose(&conf);
    assert_int_equal(xl_nic_from_spec("", &conf, NULL, &nic, NULL), 0);
    assert_string_equal(nic.script, SD "/vif-bridge");
    assert_null(nic.bridge);
    assert_null(nic.gatewaydev);
    libxl_device_nic_dispose(&nic);
}

static void test_scripts_dir(void **state)
{
    char *p;

    (void)state;
    assert_string_equal(xl_scripts_dir(), SD);
    /* Relative overrides would be taken by libxl as /etc/xen/scripts/... */
    setenv("XL_SCRIPTS_DIR", "relative/dir", 1);
    assert_string_equal(xl_scripts_dir(), XL_SCRIPTS_DIR_DEFAULT);
    unsetenv("XL_SCRIPTS_DIR");
    assert_string_equal(xl_scripts_dir(), XL_SCRIPTS_DIR_DEFAULT);
    setenv("XL_SCRIPTS_DIR", SD, 1);

    p = xl_script_path("vif-bridge");
    assert_string_equal(p, SD "/vif-bridge");
    free(p);
    p = xl_script_path("block-drbd");
    assert_string_equal(p, "block-drbd");
    free(p);
    p = xl_script_path("/etc/xen/scripts/block");
    assert_string_equal(p, "/etc/xen/scripts/block");
    free(p);
}

/* A diagnostic for a spec from a config file names file and line. */
static void test_disk_diag_location(void **state)
{
    const char *line = "disk = [ '/dev/sdb,raw,xvda,bogus' ]";
    xlcfg_loc loc = {"guest.cfg", 7, 11, line};
    xlcfg_diags *d = xlcfg_diags_new();
    libxl_device_disk disk;
    const xlcfg_diag *g;

    (void)state;
    assert_non_null(d);
    assert_int_equal(xl_disk_from_spec(line + 10, &loc, &disk, d), EINVAL);
    assert_true(xlcfg_diags_errors(d) >= 1);
    g = xlcfg_diags_get(d, 0);
    assert_string_equal(g->file, "guest.cfg");
    assert_int_equal(g->line, 7);
    assert_true(g->col >= 11);
    libxl_device_disk_dispose(&disk);
    xlcfg_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scripts_dir),
        cmocka_unit_test(test_disk_cases),
        cmocka_unit_test(test_disk_args),
        cmocka_unit_test(test_disk_diag_location),
        cmocka_unit_test(test_nic_cases),
        cmocka_unit_test(test_nic_defaults),
        cmocka_unit_test(test_nic_colo_keys),
        cmocka_unit_test(test_nic_args),
    };

    setenv("XL_SCRIPTS_DIR", SD, 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
