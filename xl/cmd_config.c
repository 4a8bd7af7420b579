/* cmd_config.c: edit config files in place: boot-policy, config-set/unset. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootpolicy.h"
#include "libxlcfg.h"
#include "xl.h"

/* Options every editing command shares. */
struct edit_opts {
    bool dry_run; /* print a unified diff, write nothing */
    bool backup;  /* keep FILE.bak (default) */
};

enum { OPT_NO_BACKUP = 0x100, OPT_FIRMWARE, OPT_BOOT };

/* Read and check `path` for editing: it must parse without syntax errors
 * (an edit must never guess around broken text). Prints the diagnostics
 * and returns NULL when it cannot be edited. */
static xlcfg_cfg *load(const char *path)
{
    xlcfg_cfg *cfg = xlcfg_new();
    xlcfg_diags *d = xlcfg_diags_new();
    char *msg = NULL;
    int err;

    if (!cfg || !d) {
        xl_err("out of memory");
        goto fail;
    }
    err = xlcfg_read_file(cfg, path, d);
    if (err) {
        msg = xlcfg_diags_format(d);
        if (msg && *msg)
            fputs(msg, stderr);
        if (err == EINVAL)
            xl_err("%s: not edited: fix the syntax errors first", path);
        else if (!xlcfg_diags_errors(d))
            xl_err("%s: %s", path, strerror(err));
        goto fail;
    }
    xlcfg_diags_free(d);
    return cfg;
fail:
    free(msg);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    return NULL;
}

static void print_diags(xlcfg_diags *d)
{
    char *msg = xlcfg_diags_format(d);

    if (msg)
        fputs(msg, stderr);
    free(msg);
}

/* Show the diff (dry run) or write the new text atomically. */
static int finish(const char *path, const xlcfg_cfg *orig, const xlcfg_edit *e,
                  const struct edit_opts *o)
{
    size_t old_len, new_len;
    const char *old = xlcfg_source_text(orig, 0, &old_len);
    const char *new_text = xlcfg_edit_text(e, &new_len);
    char *diff;
    int rc;

    if (o->dry_run) {
        diff = xlcfg_unified_diff(path, old, old_len, new_text, new_len);
        if (!diff) {
            xl_err("out of memory");
            return 1;
        }
        fputs(diff, stdout);
        free(diff);
        return 0;
    }
    if (old_len == new_len && !memcmp(old, new_text, old_len))
        return 0;
    rc = xlcfg_write_file_atomic(path, new_text, new_len, o->backup);
    if (rc) {
        xl_err("%s: cannot write: %s", path, strerror(rc));
        return 1;
    }
    return 0;
}

/* HVM needs hardware support the hypervisor reports as virt_caps "hvm".
 * Off a Xen host (a laptop validating configs) there is nothing to ask. */
static int check_hvm_host(bool force)
{
    libxl_physinfo info;
    int rc;

    if (force)
        return 0;
    if (access("/proc/xen/capabilities", F_OK) &&
        access("/dev/xen/privcmd", F_OK)) {
        fprintf(stderr, "xl: note: not on a Xen host: HVM support of the "
                        "host that will run this guest was not checked\n");
        return 0;
    }
    if (xl_ctx_init())
        return 1;
    libxl_physinfo_init(&info);
    rc = libxl_get_physinfo(ctx, &info);
    if (rc) {
        libxl_physinfo_dispose(&info);
        xl_err("cannot read the host's capabilities (libxl error %d)", rc);
        return 1;
    }
    rc = info.cap_hvm ? 0 : 1;
    libxl_physinfo_dispose(&info);
    if (rc)
        xl_err("cannot switch to hvm: this host has no HVM support "
               "(`xl info` virt_caps lacks hvm: no VT-x/AMD-V, or it is "
               "disabled); -F switches anyway");
    return rc;
}

int main_boot_policy(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"no-backup", no_argument, NULL, OPT_NO_BACKUP},
        {"kernel", required_argument, NULL, 'k'},
        {"ramdisk", required_argument, NULL, 'r'},
        {"firmware", required_argument, NULL, OPT_FIRMWARE},
        {"boot", required_argument, NULL, OPT_BOOT},
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    struct edit_opts eo = {.dry_run = false, .backup = true};
    struct xl_bp_opts bo = {0};
    xlcfg_cfg *cfg = NULL;
    xlcfg_edit *e = NULL;
    xlcfg_diags *d = NULL;
    char *what = NULL;
    const char *path;
    enum xl_boot_policy from;
    bool force = false;
    struct stat st;
    int opt, rc = 0, to;

    while ((opt = xl_getopt(argc, argv, "nk:r:F", opts, 2, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'n':
            eo.dry_run = true;
            break;
        case OPT_NO_BACKUP:
            eo.backup = false;
            break;
        case 'k':
            bo.kernel = optarg;
            break;
        case 'r':
            bo.ramdisk = optarg;
            break;
        case OPT_FIRMWARE:
            bo.firmware = optarg;
            break;
        case OPT_BOOT:
            bo.boot = optarg;
            break;
        case 'F':
            force = true;
            break;
        }
    }
    if (argc - optind != 2)
        return xl_usage("boot-policy");
    path = argv[optind];
    to = xl_boot_policy_from_name(argv[optind + 1]);
    if (to < 0) {
        xl_err("unknown boot policy '%s': use pv, pygrub, pvh or hvm",
               argv[optind + 1]);
        return 2;
    }
    if (stat(path, &st) < 0) {
        xl_err("%s: %s (boot-policy edits the config file a domain is "
               "created from; the change takes effect at its next create)",
               path, strerror(errno));
        return 1;
    }
    cfg = load(path);
    if (!cfg)
        return 1;
    d = xlcfg_diags_new();
    e = xlcfg_edit_new(cfg, 0);
    if (!d || !e) {
        xl_err("out of memory");
        rc = 1;
        goto out;
    }
    from = xl_boot_policy_current(cfg);
    if (xl_boot_policy_apply(e, (enum xl_boot_policy)to, &bo, &what, d)) {
        print_diags(d);
        rc = 1;
        goto out;
    }
    /* the config can switch; can this host run the result? */
    if (to == XL_BP_HVM && check_hvm_host(force)) {
        rc = 1;
        goto out;
    }
    rc = finish(path, cfg, e, &eo);
    if (!rc && !eo.dry_run)
        printf("%s: %s -> %s: %s%s\n", path, xl_boot_policy_name(from),
               xl_boot_policy_name((enum xl_boot_policy)to), what,
               eo.backup ? " (previous version in .bak)" : "");
out:
    free(what);
    xlcfg_edit_free(e);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    return rc;
}

/* What config-set and config-unset share: options, then the file loaded
 * and opened for editing. Returns 0, or -1 when the command must return
 * *rc_r at once (help, usage, unreadable file). */
static int open_edit(int argc, char **argv, struct edit_opts *eo,
                     xlcfg_cfg **cfg_r, xlcfg_edit **e_r, int *rc_r)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"no-backup", no_argument, NULL, OPT_NO_BACKUP},
        {NULL, 0, NULL, 0},
    };
    int opt;

    eo->dry_run = false;
    eo->backup = true;
    while ((opt = xl_getopt(argc, argv, "n", opts, 2, rc_r)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return -1;
        case 'n':
            eo->dry_run = true;
            break;
        case OPT_NO_BACKUP:
            eo->backup = false;
            break;
        }
    }
    *rc_r = 1;
    *cfg_r = load(argv[optind]);
    if (!*cfg_r)
        return -1;
    *e_r = xlcfg_edit_new(*cfg_r, 0);
    if (!*e_r) {
        xl_err("out of memory");
        xlcfg_free(*cfg_r);
        return -1;
    }
    *rc_r = 0;
    return 0;
}

/* Set one "key=value" argument; returns an exit status. */
static int set_one(xlcfg_edit *e, const char *arg)
{
    const char *eq = strchr(arg, '='), *hint;
    char *key;
    int err;

    if (!eq || eq == arg) {
        xl_err("'%s' is not key=value", arg);
        return 2;
    }
    key = strndup(arg, (size_t)(eq - arg));
    if (!key) {
        xl_err("out of memory");
        return 1;
    }
    /* A value in config syntax is used as written (512, "a b", ['x',
     * 'y']); anything else is taken as a plain string, so `type=hvm`
     * works without shell-quoting quotes. */
    err = xlcfg_edit_set(e, key, eq + 1, NULL);
    if (err == EINVAL)
        err = xlcfg_edit_set_string(e, key, eq + 1);
    if (err == EINVAL) {
        xl_err("invalid key '%s': keys are lowercase letters, digits, '_' "
               "and '.'",
               key);
    } else if (err) {
        xl_err("%s: %s", key, strerror(err));
    } else if (!xlcfg_key_lookup(key)) {
        hint = xlcfg_key_suggest(key);
        fprintf(stderr, "xl: warning: '%s' is not a known xl.cfg key%s%s%s\n",
                key, hint ? " (did you mean '" : "", hint ? hint : "",
                hint ? "'?)" : "");
    }
    free(key);
    return err ? 1 : 0;
}

int main_config_set(int argc, char **argv)
{
    struct edit_opts eo;
    xlcfg_cfg *cfg = NULL;
    xlcfg_edit *e = NULL;
    int rc = 0;

    if (open_edit(argc, argv, &eo, &cfg, &e, &rc))
        return rc;
    for (int i = optind + 1; i < argc && !rc; i++)
        rc = set_one(e, argv[i]);
    if (!rc)
        rc = finish(argv[optind], cfg, e, &eo);
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
    return rc;
}

int main_config_unset(int argc, char **argv)
{
    struct edit_opts eo;
    xlcfg_cfg *cfg = NULL;
    xlcfg_edit *e = NULL;
    int rc = 0;

    if (open_edit(argc, argv, &eo, &cfg, &e, &rc))
        return rc;
    for (int i = optind + 1; i < argc && !rc; i++) {
        int err = xlcfg_edit_unset(e, argv[i]);

        if (err) {
            if (err == ENOENT)
                xl_err("%s: '%s' is not set", argv[optind], argv[i]);
            else
                xl_err("%s: %s", argv[i], strerror(err));
            rc = 1;
        }
    }
    if (!rc)
        rc = finish(argv[optind], cfg, e, &eo);
    xlcfg_edit_free(e);
    xlcfg_free(cfg);
    return rc;
}
