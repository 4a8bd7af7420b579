/* test_translate.c: config text -> libxl_domain_config, no hypervisor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "libxlcfg.h"
#include "sxp.h"
#include "translate.h"
#include "xlconf.h"

/* One translation: the config, its diagnostics and the result. */
struct tx {
    xlcfg_cfg *cfg;
    xlcfg_diags *d;
    libxl_domain_config dc;
    struct xl_tr_env env; /* what goes to the build's environment */
    int rc;
};

static void tx_run_defs(struct tx *t, const char *text,
                        const struct xl_conf *conf, unsigned flags)
{
    xlcfg_diags *vd;

    t->cfg = xlcfg_new();
    t->d = xlcfg_diags_new();
    assert_non_null(t->cfg);
    assert_non_null(t->d);
    libxl_domain_config_init(&t->dc);
    xl_tr_env_init(&t->env);
    assert_int_equal(xlcfg_read(t->cfg, "t.cfg", text, strlen(text), t->d), 0);
    /* Translation maps the specs validation parsed; its verdict is not
     * this test's business (translation's own checks are), so its
     * diagnostics go to a list of their own. */
    vd = xlcfg_diags_new();
    assert_non_null(vd);
    xlcfg_validate(t->cfg, vd);
    xlcfg_diags_free(vd);
    t->rc = xl_translate(NULL, t->cfg, conf, flags, &t->dc, &t->env, t->d);
}

static void tx_run(struct tx *t, const char *text)
{
    struct xl_conf conf;

    xl_conf_init(&conf);
    tx_run_defs(t, text, &conf, 0);
}

static void tx_free(struct tx *t)
{
    xl_tr_env_dispose(&t->env);
    libxl_domain_config_dispose(&t->dc);
    xlcfg_diags_free(t->d);
    xlcfg_free(t->cfg);
}

/* The first error's rendering, for message checks. */
static char *diags_text(struct tx *t)
{
    char *s = xlcfg_diags_format(t->d);

    assert_non_null(s);
    return s;
}

static char *json_of(struct tx *t)
{
    char *j = libxl_domain_config_to_json(NULL, &t->dc);

    assert_non_null(j);
    return j;
}

#define PV_BASE "name = \"g\"\nkernel = \"/k\"\n"

static void test_pv_basics(void **state)
{
    struct tx t;
    (void)state;

    tx_run(&t, PV_BASE "memory = 256\nvcpus = 2\nroot = \"/dev/xvda ro\"\n"
                       "extra = \"console=hvc0\"\nramdisk = \"/r\"\n");
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.c_info.type, LIBXL_DOMAIN_TYPE_PV);
    assert_string_equal(t.dc.c_info.name, "g");
    assert_int_equal(t.dc.b_info.target_memkb, 256 * 1024);
    assert_int_equal(t.dc.b_info.max_memkb, 256 * 1024);
    assert_int_equal(t.dc.b_info.max_vcpus, 2);
    assert_true(libxl_bitmap_test(&t.dc.b_info.avail_vcpus, 0));
    assert_true(libxl_bitmap_test(&t.dc.b_info.avail_vcpus, 1));
    assert_false(libxl_bitmap_test(&t.dc.b_info.avail_vcpus, 2));
    assert_string_equal(t.dc.b_info.cmdline, "root=/dev/xvda ro console=hvc0");
    assert_string_equal(t.dc.b_info.ramdisk, "/r");
    assert_int_equal(t.dc.on_poweroff, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_int_equal(t.dc.on_reboot, LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    assert_int_equal(t.dc.on_crash, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_int_equal(t.dc.on_soft_reset, LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET);
    assert_true(libxl_defbool_val(t.dc.c_info.run_hotplug_scripts));
    assert_true(libxl_defbool_val(t.dc.b_info.claim_mode));
    /* No uuid in the file: a fresh random one, as the reference. */
    assert_false(libxl_uuid_is_nil(&t.dc.c_info.uuid));
    tx_free(&t);
}

static void test_cmdline_wins_over_root_extra(void **state)
{
    struct tx t;
    char *s;
    (void)state;

    tx_run(&t, PV_BASE "cmdline = \"quiet\"\nroot = \"/dev/xvda\"\n");
    assert_int_equal(t.rc, 0);
    assert_string_equal(t.dc.b_info.cmdline, "quiet");
    assert_int_equal(xlcfg_diags_warnings(t.d), 1);
    s = diags_text(&t);
    assert_non_null(strstr(s, "in favour of cmdline="));
    free(s);
    tx_free(&t);
}

static void test_type_prefix_and_builder(void **state)
{
    struct tx t;
    (void)state;

    /* The reference compares a prefix: "h" is hvm. */
    tx_run(&t, "name = \"g\"\ntype = \"h\"\n");
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.c_info.type, LIBXL_DOMAIN_TYPE_HVM);
    assert_int_equal(t.dc.b_info.type, LIBXL_DOMAIN_TYPE_HVM);
    tx_free(&t);

    tx_run(&t, "name = \"g\"\nbuilder = \"hvm\"\n"
               "kernel = \"/usr/lib/xen/boot/hvmloader\"\n");
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.c_info.type, LIBXL_DOMAIN_TYPE_HVM);
    assert_null(t.dc.b_info.kernel); /* hvmloader is libxl's business */
    tx_free(&t);

    tx_run(&t, PV_BASE "type = \"pv\"\nbuilder = \"hvm\"\n");
    assert_int_equal(t.rc, EINVAL);
    tx_free(&t);

    tx_run(&t, PV_BASE "type = \"xen\"\n");
    assert_int_equal(t.rc, EINVAL);
    tx_free(&t);
}

static void test_errors_have_positions(void **state)
{
    struct tx t;
    char *s;
    (void)state;

    tx_run(&t, PV_BASE "on_crash = \"explode\"\n");
    assert_int_equal(t.rc, EINVAL);
    s = diags_text(&t);
    assert_non_null(strstr(s, "t.cfg:3:13: error: unknown on_crash action "
                              "'explode'"));
    free(s);
    tx_free(&t);

    tx_run(&t, "kernel = \"/k\"\n");
    assert_int_equal(t.rc, EINVAL);
    s = diags_text(&t);
    assert_non_null(strstr(s, "needs a name"));
    free(s);
    tx_free(&t);

    tx_run(&t, "name = \"g\"\n");
    assert_int_equal(t.rc, EINVAL);
    s = diags_text(&t);
    assert_non_null(strstr(s, "t.cfg: error: neither kernel nor bootloader"));
    free(s);
    tx_free(&t);

    tx_run(&t, PV_BASE "vcpus = 4\nmaxvcpus = 2\n");
    assert_int_equal(t.rc, EINVAL);
    tx_free(&t);

    /* Without Xen the host's nodes are unknown: a note, not a verdict. */
    tx_run(&t, PV_BASE "vnuma = [ [ \"pnode=1\", \"vcpus=0\" ] ]\n");
    assert_int_equal(t.rc, 0);
    s = diags_text(&t);
    assert_non_null(strstr(s, "note: no hypervisor here"));
    free(s);
    tx_free(&t);

    /* A missing kernel is reported at the key that misspells it. */
    tx_run(&t, "name = \"g\"\nkernal = \"/k\"\n");
    assert_int_equal(t.rc, EINVAL);
    s = diags_text(&t);
    assert_non_null(strstr(s, "t.cfg:2:1: error: neither kernel nor "
                              "bootloader"));
    assert_non_null(strstr(s, "did you mean 'kernel'?"));
    free(s);
    tx_free(&t);

    tx_run(&t, PV_BASE "p9 = [ \"tag=x,path=/x,security_model=none\" ]\n");
    assert_int_equal(t.rc, EINVAL);
    s = diags_text(&t);
    assert_non_null(strstr(s, "'p9' is not supported"));
    free(s);
    tx_free(&t);
}

static void test_hvm_keys(void **state)
{
    struct tx t;
    (void)state;

    tx_run(&t, "name = \"w\"\ntype = \"hvm\"\nboot = \"dc\"\n"
               "serial = \"pty\"\nvnc = 0\nsdl = 0\nnographic = 1\n"
               "acpi = 1\nviridian = 1\nfirmware = \"uefi\"\n"
               "stdvga = 1\n");
    assert_int_equal(t.rc, 0);
    assert_string_equal(t.dc.b_info.u.hvm.boot, "dc");
    assert_string_equal(t.dc.b_info.u.hvm.serial, "pty");
    assert_false(libxl_defbool_val(t.dc.b_info.u.hvm.vnc.enable));
    assert_false(libxl_defbool_val(t.dc.b_info.u.hvm.sdl.enable));
    assert_true(libxl_defbool_val(t.dc.b_info.u.hvm.nographic));
    assert_true(libxl_defbool_val(t.dc.b_info.acpi));
    assert_true(libxl_defbool_val(t.dc.b_info.u.hvm.viridian));
    assert_int_equal(t.dc.b_info.u.hvm.bios, LIBXL_BIOS_TYPE_OVMF);
    assert_int_equal(t.dc.b_info.u.hvm.vga.kind, LIBXL_VGA_INTERFACE_TYPE_STD);
    tx_free(&t);

    tx_run(&t, "name = \"w\"\ntype = \"hvm\"\nfirmware = \"/my/fw.bin\"\n"
               "serial = [ \"pty\", \"file:/tmp/s\" ]\n");
    assert_int_equal(t.rc, 0);
    assert_string_equal(t.dc.b_info.u.hvm.firmware, "/my/fw.bin");
    assert_string_equal(t.dc.b_info.u.hvm.serial_list[1], "file:/tmp/s");
    assert_null(t.dc.b_info.u.hvm.serial_list[2]);
    tx_free(&t);
}

static void test_affinity_and_pci(void **state)
{
    struct tx t;
    (void)state;

    tx_run(&t, PV_BASE "vcpus = 2\ncpus = [ \"0\", \"0\", \"0\" ]\n"
                       "pci = [ \"01:00.0@5,permissive=1\" ]\n");
    assert_int_equal(t.rc, 0);
    /* One map per existing vCPU; the third item is ignored. */
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 2);
    assert_true(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[1], 0));
    assert_false(libxl_defbool_val(t.dc.b_info.numa_placement));
    assert_int_equal(t.dc.num_pcidevs, 1);
    assert_int_equal(t.dc.pcidevs[0].bus, 1);
    assert_int_equal(t.dc.pcidevs[0].vdevfn, 5 << 3);
    assert_int_equal(t.dc.pcidevs[0].vfunc_mask, 1);
    assert_true(t.dc.pcidevs[0].permissive);
    /* PCI passthrough to a PV guest needs the host's e820. */
    assert_true(libxl_defbool_val(t.dc.b_info.u.pv.e820_host));
    tx_free(&t);
}

static void test_bootloader_args_string(void **state)
{
    struct tx t;
    (void)state;

    tx_run(&t, "name = \"g\"\nbootloader = \"pygrub\"\n"
               "bootloader_args = \"-q  --entry=1\"\n");
    assert_int_equal(t.rc, 0);
    assert_string_equal(t.dc.b_info.bootloader, "pygrub");
    assert_string_equal(t.dc.b_info.bootloader_args[0], "-q");
    assert_string_equal(t.dc.b_info.bootloader_args[1], "--entry=1");
    assert_null(t.dc.b_info.bootloader_args[2]);
    assert_int_equal(xlcfg_diags_warnings(t.d), 1);
    tx_free(&t);
}

static void test_devices_and_reference_scripts(void **state)
{
    struct xl_conf conf;
    struct tx t;
    char *j;
    (void)state;

    xl_conf_init(&conf);
    tx_run_defs(&t,
                PV_BASE "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', '' ]\n"
                        "disk = [ 'file:/srv/g.img,xvda,w' ]\n"
                        "channel = [ 'name=org.x,connection=pty' ]\n"
                        "vfb = [ 'vnc=1,vnclisten=0.0.0.0' ]\n",
                &conf, 0);
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.num_nics, 2);
    assert_int_equal(t.dc.nics[1].devid, 1);
    assert_int_equal(t.dc.num_disks, 1);
    assert_string_equal(t.dc.disks[0].vdev, "xvda");
    /* A real create points libxl at our hotplug scripts. */
    assert_non_null(t.dc.nics[0].script);
    assert_int_equal(t.dc.num_channels, 1);
    assert_int_equal(t.dc.channels[0].connection, LIBXL_CHANNEL_CONNECTION_PTY);
    assert_int_equal(t.dc.num_vfbs, 1);
    assert_int_equal(t.dc.num_vkbs, 1);
    assert_string_equal(t.dc.vfbs[0].vnc.listen, "0.0.0.0");
    tx_free(&t);

    /* `create -n`: the script fields as Xen's xl leaves them. */
    tx_run_defs(&t, PV_BASE "vif = [ 'bridge=xenbr0' ]\n", &conf,
                XL_TR_REFERENCE_SCRIPTS);
    assert_int_equal(t.rc, 0);
    assert_null(t.dc.nics[0].script);
    j = json_of(&t);
    assert_null(strstr(j, "\"script\""));
    free(j);
    tx_free(&t);
}

static void test_json_matches_reference_shape(void **state)
{
    struct tx t;
    char *j;
    (void)state;

    tx_run(&t, "name = \"j\"\ntype = \"pvh\"\nkernel = \"/k\"\n"
               "uuid = \"11111111-2222-3333-4444-555555555555\"\n"
               "memory = 64\non_reboot = \"destroy\"\n");
    assert_int_equal(t.rc, 0);
    j = json_of(&t);
    /* Fields at their defaults are omitted, enums are lowercase. */
    assert_non_null(strstr(j, "\"type\": \"pvh\""));
    assert_non_null(
        strstr(j, "\"uuid\": \"11111111-2222-3333-4444-555555555555\""));
    /* destroy is libxl's default action: not printed at all. */
    assert_int_equal(t.dc.on_reboot, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_null(strstr(j, "\"on_reboot\""));
    assert_non_null(strstr(j, "\"on_soft_reset\": \"soft_reset\""));
    assert_non_null(strstr(j, "\"target_memkb\": 65536"));
    free(j);
    tx_free(&t);
}

static void test_actions_table(void **state)
{
    libxl_action_on_shutdown a;
    (void)state;

    assert_int_equal(xl_action_from_string("rename-restart", &a), 0);
    assert_int_equal(a, LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME);
    assert_string_equal(xl_action_to_string(a), "rename-restart");
    assert_int_equal(xl_action_from_string("reboot", &a), EINVAL);
}

/* bootloader_restrict / _user reach libxl through the environment. */
static void test_bootloader_restrict_env(void **state)
{
    struct xl_tr_env env;
    struct tx t;
    char *s;
    (void)state;

    tx_run(&t, "name = \"g\"\nbootloader = \"pygrub\"\n"
               "bootloader_restrict = 1\nbootloader_user = \"xen-boot\"\n");
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.env.bootloader_restrict, 1);
    assert_string_equal(t.env.bootloader_user, "xen-boot");
    setenv("LIBXL_BOOTLOADER_USER", "admin-set", 1);
    assert_int_equal(xl_tr_env_apply(&t.env), 0);
    assert_string_equal(getenv("LIBXL_BOOTLOADER_RESTRICT"), "1");
    assert_string_equal(getenv("LIBXL_BOOTLOADER_USER"), "xen-boot");
    /* An explicit 0 clears both; then nothing said: the admin's again. */
    xl_tr_env_init(&env);
    env.bootloader_restrict = 0;
    assert_int_equal(xl_tr_env_apply(&env), 0);
    assert_null(getenv("LIBXL_BOOTLOADER_RESTRICT"));
    assert_null(getenv("LIBXL_BOOTLOADER_USER"));
    xl_tr_env_init(&env);
    assert_int_equal(xl_tr_env_apply(&env), 0);
    assert_null(getenv("LIBXL_BOOTLOADER_RESTRICT"));
    assert_string_equal(getenv("LIBXL_BOOTLOADER_USER"), "admin-set");
    unsetenv("LIBXL_BOOTLOADER_USER");
    xl_tr_env_dispose(&env);
    tx_free(&t);

    /* Without a bootloader the keys do nothing: said so. */
    tx_run(&t, PV_BASE "bootloader_restrict = 1\n");
    assert_int_equal(t.rc, 0);
    s = diags_text(&t);
    assert_non_null(strstr(s, "warning: 'bootloader_restrict' has no effect"));
    free(s);
    tx_free(&t);

    tx_run(&t, "name = \"g\"\nbootloader = \"pygrub\"\n"
               "bootloader_restrict = 0\nbootloader_user = \"u\"\n");
    assert_int_equal(t.rc, 0);
    s = diags_text(&t);
    assert_non_null(strstr(s, "bootloader_user is ignored"));
    free(s);
    tx_free(&t);
}

/* An xl.conf from text, as xl_conf_read gives it. */
static void conf_from(struct xl_conf *c, const char *text)
{
    char path[] = "/tmp/test_translate_xlconf.XXXXXX";
    xlcfg_diags *d = xlcfg_diags_new();
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    xl_conf_init(c);
    assert_int_equal(xl_conf_read(c, path, d), 0);
    unlink(path);
    xlcfg_diags_free(d);
}

/* cpus naming CPUs the host lacks: accepted as the reference (set where
 * the map has room, skipped past it), with a warning naming them; a
 * vCPU left with none of the host's CPUs is an error at its value. */
static void test_cpus_beyond_host(void **state)
{
    struct tx t;
    char *msg;
    (void)state;

    tx_run(&t, PV_BASE "vcpus = 2\ncpus = [ \"0-1023\", \"0-1023\" ]\n");
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 2);
    assert_true(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[1], 0));
    msg = diags_text(&t);
    assert_non_null(strstr(msg, "t.cfg:4:11: warning: '0-1023' names CPUs "
                                "this host lacks ("));
    assert_non_null(strstr(msg, "-1023; it has "));
    free(msg);
    tx_free(&t);

    tx_run(&t, PV_BASE "vcpus = 2\ncpus = \"0,1000-1001\"\n");
    assert_int_equal(t.rc, 0);
    msg = diags_text(&t);
    assert_non_null(strstr(msg, "(1000-1001; it has "));
    free(msg);
    tx_free(&t);

    /* no CPU of the host: kept (create -n shows what the reference
     * shows), with a warning that Xen will refuse it */
    tx_run(&t, PV_BASE "vcpus = 1\ncpus = \"1000\"\n");
    assert_int_equal(t.rc, 0);
    msg = diags_text(&t);
    assert_non_null(strstr(msg, "t.cfg:4:9: warning: vCPU 0 may run on no "
                                "CPU of this host (it has "));
    free(msg);
    tx_free(&t);

    /* soft affinity only warns: Xen takes any soft map */
    tx_run(&t, PV_BASE "cpus_soft = \"1000\"\n");
    assert_int_equal(t.rc, 0);
    tx_free(&t);
}

/* xl.conf's vm.cpumask / vm.pv.cpumask / vm.hvm.cpumask, as the
 * reference's create applies them. */
static void test_global_cpumasks(void **state)
{
    struct xl_conf conf;
    struct tx t;
    char *msg;
    (void)state;

    /* no cpus: every vCPU gets the mask */
    conf_from(&conf, "vm.cpumask = \"0\"\n");
    tx_run_defs(&t, PV_BASE "vcpus = 3\n", &conf, 0);
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 3);
    for (int i = 0; i < 3; i++) {
        assert_true(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[i], 0));
        assert_false(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[i], 1));
    }
    tx_free(&t);
    /* cpus ANDed with it; a list's vCPUs each */
    tx_run_defs(&t, PV_BASE "vcpus = 2\ncpus = [\"all\", \"0-3\"]\n", &conf, 0);
    assert_int_equal(t.rc, 0);
    for (int i = 0; i < 2; i++) {
        assert_true(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[i], 0));
        assert_false(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[i], 2));
    }
    tx_free(&t);
    /* nothing in common: an error at cpus */
    tx_run_defs(&t, PV_BASE "vcpus = 1\ncpus = \"1000\"\n", &conf, 0);
    assert_int_equal(t.rc, EINVAL);
    tx_free(&t);
    xl_conf_dispose(&conf);

    /* the type's mask: PV for PV, HVM for HVM and PVH */
    conf_from(&conf, "vm.pv.cpumask = \"0\"\n");
    tx_run_defs(&t, PV_BASE "vcpus = 2\n", &conf, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 2);
    tx_free(&t);
    tx_run_defs(&t, PV_BASE "type = \"pvh\"\nvcpus = 2\n", &conf, 0);
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 0);
    tx_free(&t);
    xl_conf_dispose(&conf);
    conf_from(&conf, "vm.hvm.cpumask = \"0\"\n");
    tx_run_defs(&t, PV_BASE "type = \"pvh\"\nvcpus = 2\n", &conf, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 2);
    assert_false(libxl_bitmap_test(&t.dc.b_info.vcpu_hard_affinity[1], 1));
    tx_free(&t);
    xl_conf_dispose(&conf);

    /* a mask of every CPU changes nothing: no maps */
    conf_from(&conf, "vm.cpumask = \"all\"\n");
    tx_run_defs(&t, PV_BASE "vcpus = 2\n", &conf, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 0);
    tx_free(&t);
    xl_conf_dispose(&conf);

    /* a mask of no CPU of the host: an error at the mask, in xl.conf */
    conf_from(&conf, "\nvm.cpumask = \"1000\"\n");
    tx_run_defs(&t, PV_BASE "vcpus = 1\n", &conf, 0);
    assert_int_equal(t.rc, EINVAL);
    msg = diags_text(&t);
    assert_non_null(strstr(msg, ":2:15: error: '1000' leaves no CPU for "
                                "the vCPUs of a new domain"));
    free(msg);
    tx_free(&t);
    /* after create -i */
    xl_conf_cpumask_clear(&conf.vm_cpumask);
    tx_run_defs(&t, PV_BASE, &conf, 0);
    assert_int_equal(t.rc, 0);
    assert_int_equal(t.dc.b_info.num_vcpu_hard_affinity, 0);
    tx_free(&t);
    xl_conf_dispose(&conf);
}

/* max_grant_version: the config's, else xl.conf's, else libxl's. */
static void test_max_grant_version(void **state)
{
    struct xl_conf conf;
    struct tx t;
    (void)state;

    tx_run(&t, PV_BASE);
    assert_int_equal((uint32_t)t.dc.b_info.max_grant_version,
                     LIBXL_MAX_GRANT_DEFAULT);
    tx_free(&t);
    tx_run(&t, PV_BASE "max_grant_version = 1\n");
    assert_int_equal(t.dc.b_info.max_grant_version, 1);
    tx_free(&t);
    conf_from(&conf, "max_grant_version = 2\n");
    tx_run_defs(&t, PV_BASE, &conf, 0);
    assert_int_equal(t.dc.b_info.max_grant_version, 2);
    tx_free(&t);
    tx_run_defs(&t, PV_BASE "max_grant_version = 1\n", &conf, 0);
    assert_int_equal(t.dc.b_info.max_grant_version, 1);
    tx_free(&t);
    xl_conf_dispose(&conf);
}

/* The SXP form (output_format = "sxp") of a translated config. */
static void test_sxp(void **state)
{
    struct tx t;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;
    static const uint8_t uuid[16] = {0xde, 0xad, 0xbe, 0xef, 0, 1, 2,  3,
                                     4,    5,    6,    7,    8, 9, 10, 11};
    (void)state;

    tx_run(&t, PV_BASE "memory = 128\nvcpus = 2\n"
                       "disk = [ \"/img,raw,xvda,rw\" ]\n"
                       "vif = [ \"mac=00:16:3e:01:02:03,bridge=br0\" ]\n");
    assert_int_equal(t.rc, 0);
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(xl_sxp_print(f, 7, uuid, &t.dc), 0);
    fclose(f);
    assert_non_null(strstr(buf, "(domain\n\t(domid 7)\n\t(create_info)\n"
                                "\t(hvm 0)\n\t(hap <default>)\n"));
    assert_non_null(strstr(buf, "\t(name g)\n\t(uuid "
                                "deadbeef-0001-0203-0405-060708090a0b)\n"
                                "\t(xsdata (null))\n"));
    assert_non_null(strstr(buf, "\t(max_vcpus 2)\n"));
    assert_non_null(strstr(buf, "\t(max_memkb 131072)\n"));
    assert_non_null(strstr(buf, "\t(image\n\t\t(linux 0)\n"
                                "\t\t\t(kernel /k)\n\t\t\t(cmdline (null))"
                                "\n"));
    assert_non_null(strstr(buf, "\t\t)\n\t)\n\t(device\n\t\t(tap\n"));
    assert_non_null(strstr(buf, "\t\t\t(frontend_domid 7)\n"
                                "\t\t\t(physpath /img)\n"));
    assert_non_null(strstr(buf, "\t\t\t(mac 00163e010203)\n\t\t)\n\t)\n)\n"));
    free(buf);
    buf = NULL;
    /* not created: domid -1, no UUID */
    f = open_memstream(&buf, &len);
    assert_int_equal(xl_sxp_print(f, -1, NULL, &t.dc), 0);
    fclose(f);
    assert_non_null(strstr(buf, "(domid -1)\n"));
    assert_non_null(strstr(buf, "(uuid <unknown>)\n"));
    free(buf);
    tx_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pv_basics),
        cmocka_unit_test(test_cmdline_wins_over_root_extra),
        cmocka_unit_test(test_type_prefix_and_builder),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_hvm_keys),
        cmocka_unit_test(test_affinity_and_pci),
        cmocka_unit_test(test_bootloader_args_string),
        cmocka_unit_test(test_devices_and_reference_scripts),
        cmocka_unit_test(test_json_matches_reference_shape),
        cmocka_unit_test(test_actions_table),
        cmocka_unit_test(test_bootloader_restrict_env),
        cmocka_unit_test(test_cpus_beyond_host),
        cmocka_unit_test(test_global_cpumasks),
        cmocka_unit_test(test_max_grant_version),
        cmocka_unit_test(test_sxp),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
