/* cmd_control.c: trigger, sysrq, button-press, debug-keys, set-parameters,
 * dump-core: one-shot requests to a guest or to the hypervisor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture.h"
#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "xl.h"

/* The trigger names of the reference's usage line, in its order. libxl's
 * own parser also takes "unknown", which no hypervisor accepts. */
static const struct {
    const char *name;
    libxl_trigger trigger;
} triggers[] = {
    {"nmi", LIBXL_TRIGGER_NMI},     {"reset", LIBXL_TRIGGER_RESET},
    {"init", LIBXL_TRIGGER_INIT},   {"power", LIBXL_TRIGGER_POWER},
    {"sleep", LIBXL_TRIGGER_SLEEP}, {"s3resume", LIBXL_TRIGGER_S3RESUME},
};

int control_trigger_from_name(const char *name)
{
    /* Case-insensitive like libxl_trigger_from_string, which xl uses. */
    for (size_t i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++)
        if (!strcasecmp(name, triggers[i].name))
            return (int)triggers[i].trigger;
    return -1;
}

int control_vcpu_parse(const char *s, unsigned *vcpu_r)
{
    unsigned long v;
    char *end;

    if (*s < '0' || *s > '9') /* no sign, no blank */
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > 0xffffffffUL)
        return -1;
    *vcpu_r = (unsigned)v;
    return 0;
}

bool control_sysrq_valid(const char *s)
{
    return s[0] != '\0' && s[1] == '\0';
}

const char *control_params_bad(const char *params, size_t *len_r)
{
    /* libxl splits at ' ' and takes "NAME=VALUE" or "noNAME"; a bare
     * "NAME" makes libxl 4.17 index its path with a NULL pointer. */
    const char *p = params;

    for (;;) {
        const char *end, *eq;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return NULL;
        end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        eq = memchr(p, '=', (size_t)(end - p));
        if (eq ? eq == p : (end - p <= 2 || strncmp(p, "no", 2))) {
            *len_r = (size_t)(end - p);
            return p;
        }
        p = end;
    }
}

/* Why a request failed: the errno libxl logged with its error line (the
 * hypervisor's answer), else libxl's code. */
static const char *why(int err, int rc)
{
    static char buf[64];
    const char *name = libxl_error_to_string((libxl_error)rc);

    if (err > 0)
        return strerror(err);
    if (name)
        snprintf(buf, sizeof(buf), "libxl error %s (%d)", name, rc);
    else
        snprintf(buf, sizeof(buf), "libxl error %d", rc);
    return buf;
}

/* More operands than `cmd` takes: name the first extra one. Returns 2. */
static int extra_operand(const char *cmd, const char *arg)
{
    xl_err("%s: unexpected argument '%s'", cmd, arg);
    return xl_usage(cmd);
}

/* Stop holding libxl's error lines; print them only when no errno says
 * why (they are then the only explanation). */
static void release(int rc, int err)
{
    free(xl_capture_release(rc && err <= 0));
}

/* Resolve <Domain> once the operands are known to be valid. */
static int open_domain(const char *name, uint32_t *domid_r)
{
    if (xl_ctx_init())
        return 1;
    return xl_find_domain(name, domid_r);
}

/* Send one trigger; libxl's error lines are held back so that one line
 * says what the hypervisor answered. Returns 0 or 1. */
static int send_trigger(uint32_t domid, const char *name, int trigger,
                        unsigned vcpu)
{
    const char *hint = "";
    int rc, err;

    xl_capture_hold();
    rc = libxl_send_trigger(ctx, domid, (libxl_trigger)trigger, vcpu, NULL);
    err = xl_capture_errno();
    release(rc, err);
    if (!rc)
        return 0;
    /* The three answers of Xen 4.17's x86 sendtrigger domctl. */
    if (err == ESRCH)
        hint = " (no such vCPU)";
    else if (err == EINVAL &&
             (trigger == LIBXL_TRIGGER_POWER || trigger == LIBXL_TRIGGER_SLEEP))
        hint = " (ACPI buttons exist only in HVM guests)";
    else if (err == ENOSYS)
        hint = " (this hypervisor does not implement it)";
    xl_err("%s: cannot send trigger '%s' to domain %u (vCPU %u): %s%s",
           xl_cmdname ? xl_cmdname : "trigger", name, domid, vcpu, why(err, rc),
           hint);
    return 1;
}

int main_trigger(int argc, char **argv)
{
    uint32_t domid;
    unsigned vcpu = 0;
    int opt, rc = 0, trigger;

    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 3)
        return extra_operand("trigger", argv[optind + 3]);
    trigger = control_trigger_from_name(argv[optind + 1]);
    if (trigger < 0) {
        xl_err("trigger: unknown trigger '%s' (nmi, reset, init, power, "
               "sleep or s3resume)",
               argv[optind + 1]);
        return 2;
    }
    if (argc - optind == 3 && control_vcpu_parse(argv[optind + 2], &vcpu)) {
        xl_err("trigger: invalid VCPU '%s' (a vCPU number: 0, 1, ...)",
               argv[optind + 2]);
        return 2;
    }
    if (open_domain(argv[optind], &domid))
        return 1;
    return send_trigger(domid, argv[optind + 1], trigger, vcpu);
}

int main_button_press(int argc, char **argv)
{
    uint32_t domid;
    const char *button;
    int opt, rc = 0, trigger;

    fprintf(stderr, "xl: warning: button-press is deprecated; use 'xl "
                    "trigger <Domain> power|sleep'\n");
    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 2)
        return extra_operand("button-press", argv[optind + 2]);
    button = argv[optind + 1];
    if (!strcmp(button, "power")) {
        trigger = LIBXL_TRIGGER_POWER;
    } else if (!strcmp(button, "sleep")) {
        trigger = LIBXL_TRIGGER_SLEEP;
    } else {
        xl_err("button-press: unknown button '%s' (power or sleep)", button);
        return 2;
    }
    if (open_domain(argv[optind], &domid))
        return 1;
    return send_trigger(domid, button, trigger, 0);
}

int main_sysrq(int argc, char **argv)
{
    uint32_t domid;
    const char *key;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 2)
        return extra_operand("sysrq", argv[optind + 2]);
    key = argv[optind + 1];
    if (!control_sysrq_valid(key)) {
        xl_err("sysrq: '%s' is not one character (a sysrq letter such as "
               "h, s or b)",
               key);
        return 2;
    }
    if (open_domain(argv[optind], &domid))
        return 1;
    /* A xenstore write the guest's PV drivers act on; libxl always
     * returns 0, and a guest without them never answers. */
    rc = libxl_send_sysrq(ctx, domid, key[0]);
    if (rc) {
        xl_err("sysrq: cannot send sysrq '%c' to domain %u: libxl error %d",
               key[0], domid, rc);
        return 1;
    }
    return 0;
}

int main_debug_keys(int argc, char **argv)
{
    int opt, rc = 0, err;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 1)
        return extra_operand("debug-keys", argv[optind + 1]);
    if (xl_ctx_init())
        return 1;
    xl_capture_hold();
    rc = libxl_send_debug_keys(ctx, argv[optind]);
    err = xl_capture_errno();
    release(rc, err);
    if (rc) {
        xl_err("debug-keys: the hypervisor refused keys '%s': %s", argv[optind],
               why(err, rc));
        return 1;
    }
    return 0;
}

int main_set_parameters(int argc, char **argv)
{
    const char *params, *bad;
    size_t badlen = 0;
    int opt, rc = 0, err;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 1)
        return extra_operand("set-parameters", argv[optind + 1]);
    params = argv[optind];
    bad = control_params_bad(params, &badlen);
    if (bad) {
        xl_err("set-parameters: '%.*s' is not NAME=VALUE or noNAME",
               (int)badlen, bad);
        return 2;
    }
    if (xl_ctx_init())
        return 1;
    xl_capture_hold();
    rc = libxl_set_parameters(ctx, argv[optind]);
    err = xl_capture_errno();
    release(rc, err);
    if (rc) {
        /* Runtime parameters are hypfs nodes under /params. */
        xl_err("set-parameters: the hypervisor refused '%s': %s%s", params,
               why(err, rc),
               err == ENOENT ? " (no such parameter settable at run time)"
                             : "");
        return 1;
    }
    return 0;
}

int main_dump_core(int argc, char **argv)
{
    uint32_t domid;
    int opt, rc = 0, err;

    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 2)
        return extra_operand("dump-core", argv[optind + 2]);
    if (open_domain(argv[optind], &domid))
        return 1;
    xl_capture_hold();
    rc = libxl_domain_core_dump(ctx, domid, argv[optind + 1], NULL);
    err = xl_capture_errno();
    release(rc, err);
    if (rc) {
        xl_err("dump-core: cannot dump domain %u to '%s': %s", domid,
               argv[optind + 1], why(err, rc));
        return 1;
    }
    return 0;
}
