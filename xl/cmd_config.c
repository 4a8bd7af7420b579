/* cmd_config.c: edit config files in place: boot-policy, config-set/unset. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootpolicy.h"
#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "domconfig.h"
#include "fdio.h"
#include "libxlcfg.h"
#include "storedcfg.h"
#include "xl.h"

/* Options every editing command shares. */
struct edit_opts {
    bool dry_run; /* print a unified diff, write nothing */
    bool backup;  /* keep FILE.bak (default) */
    /* set by lock_for_edit: */
    char *target; /* the file written: a symlink's target, resolved */
    int lock_fd;  /* flock held from read to rename; -1: none */
};

/* Edits of one file are serialised: each holds a flock on the file from
 * its read to its rename (a waiter that finds the name now refers to the
 * new file locks that one and reads it), so two concurrent config-set
 * both land. A symlinked config is edited at its target, which stays a
 * file under its own name. Returns 0, or 1 with a message. */
static int lock_for_edit(const char *path, struct edit_opts *eo)
{
    eo->target = realpath(path, NULL);
    if (!eo->target) {
        xl_err("%s: %s", path, strerror(errno));
        return 1;
    }
    eo->lock_fd = xl_lock_file(eo->target, 0, XL_LOCK_EXISTING);
    if (eo->lock_fd < 0) {
        xl_err("%s: cannot lock it for editing: %s", path, strerror(errno));
        free(eo->target);
        eo->target = NULL;
        return 1;
    }
    return 0;
}

static void edit_done(struct edit_opts *eo)
{
    if (eo->lock_fd >= 0)
        close(eo->lock_fd);
    eo->lock_fd = -1;
    free(eo->target);
    eo->target = NULL;
}

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

/* Errors validation finds in `text` (read as `name`); -1 out of memory.
 * With `print`, its diagnostics are printed. */
static long validation_errors(const char *name, const char *text, size_t len,
                              bool print)
{
    xlcfg_cfg *cfg = xlcfg_new();
    xlcfg_diags *d = xlcfg_diags_new();
    long n = -1;

    if (cfg && d && xlcfg_read(cfg, name, text, len, d) != ENOMEM &&
        xlcfg_validate(cfg, d) != ENOMEM) {
        n = (long)xlcfg_diags_errors(d);
        if (print)
            xl_print_diags(d);
    }
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    return n;
}

/* Show the diff (dry run) or write the new text atomically: only a text
 * with no more validation errors than the file had (`memory=512M` is
 * refused here, not found broken by the next create). */
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
    {
        long before = validation_errors(path, old, old_len, false);
        long after = validation_errors(path, new_text, new_len, false);

        if (before < 0 || after < 0) {
            xl_err("out of memory");
            return 1;
        }
        if (after > before) {
            validation_errors(path, new_text, new_len, true);
            xl_err("%s: not edited: the result would not be a valid config",
                   path);
            return 1;
        }
    }
    rc = xlcfg_write_file_atomic(o->target ? o->target : path, new_text,
                                 new_len, o->backup);
    if (rc == EACCES || rc == EROFS || rc == EPERM) {
        char *dir = strdup(o->target ? o->target : path);

        xl_err("%s: cannot write: %s (the file is replaced by a new one, so "
               "its directory %s must be writable)",
               path, strerror(rc), dir ? dirname(dir) : "");
        free(dir);
        return 1;
    }
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

/* Would `text` build a domain? The pipeline create runs, so a bad edit
 * is refused now and not at the domain's reboot. Returns 0 or 1 (the
 * diagnostics printed either way). */
static int check_translates(const char *name, const char *text, size_t len,
                            FILE *show)
{
    struct xl_domconfig_src src = {.name = name, .text = text, .len = len};
    struct xl_domconfig r;
    struct xl_conf conf;
    int rc;

    if (xl_conf_load(&conf))
        return 1;
    xl_domconfig_init(&r);
    rc = xl_domconfig_load(ctx, &conf, &src, 0, &r);
    xl_print_diags(r.diags);
    if (rc == ENOMEM)
        xl_err("out of memory");
    else if (!rc && show && xl_domconfig_print(ctx, show, &conf, &r.dc))
        rc = 1;
    xl_domconfig_dispose(&r);
    xl_conf_dispose(&conf);
    return rc ? 1 : 0;
}

/* boot-policy on a domain: edit the config it boots from next and keep
 * the result as its pending config (as `xl config-update` does). */
static int boot_policy_domain(const char *name, int to,
                              const struct xl_bp_opts *bo,
                              const struct edit_opts *eo, bool force)
{
    xlcfg_cfg *cfg = NULL;
    xlcfg_edit *e = NULL;
    xlcfg_diags *d = NULL;
    char *text = NULL, *what = NULL, *label = NULL;
    size_t len = 0, new_len;
    const char *new_text;
    uint32_t domid;
    int pending = 0, rc = 1, err;

    if (xl_ctx_init() || xl_find_domain(name, &domid))
        return 1;
    err = xl_storedcfg_next_text(ctx, domid, &text, &len, &pending);
    if (err == ENOENT) {
        xl_err("domain '%s' has no stored config text (it was not created "
               "by this xl): switch the config file it was created from "
               "and create it again from that file",
               name);
        return 1;
    } else if (err) {
        xl_err("cannot read the stored config of domain '%s': %s", name,
               strerror(err));
        return 1;
    }
    if (asprintf(&label, "domain %s", name) < 0) {
        label = NULL;
        goto oom;
    }
    cfg = xlcfg_new();
    d = xlcfg_diags_new();
    if (!cfg || !d)
        goto oom;
    if (xlcfg_read(cfg, label, text, len, d)) {
        xl_print_diags(d);
        xl_err("the stored config of domain '%s' does not parse", name);
        goto out;
    }
    e = xlcfg_edit_new(cfg, 0);
    if (!e)
        goto oom;
    if (xl_boot_policy_apply(e, (enum xl_boot_policy)to, bo, &what, d)) {
        xl_print_diags(d);
        goto out;
    }
    if (to == XL_BP_HVM && check_hvm_host(force))
        goto out;
    new_text = xlcfg_edit_text(e, &new_len);
    if (check_translates(label, new_text, new_len, NULL))
        goto out;
    if (eo->dry_run) {
        rc = finish(label, cfg, e, eo);
        goto out;
    }
    err = xl_storedcfg_store_pending(ctx, domid, new_text, new_len);
    if (err) {
        xl_err("cannot store the new config of domain '%s': %s", name,
               strerror(err));
        goto out;
    }
    printf("domain %s: %s -> %s at its next reboot: %s\n", name,
           xl_boot_policy_name(xl_boot_policy_current(cfg)),
           xl_boot_policy_name((enum xl_boot_policy)to), what);
    rc = 0;
    goto out;
oom:
    xl_err("out of memory");
out:
    free(what);
    free(label);
    free(text);
    xlcfg_edit_free(e);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
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
    struct edit_opts eo = {.dry_run = false, .backup = true, .lock_fd = -1};
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
    /* Not a file: a domain, whose next boot gets the new policy. */
    if (stat(path, &st) < 0) {
        if (errno == ENOENT && !strchr(path, '/'))
            return boot_policy_domain(path, to, &bo, &eo, force);
        xl_err("%s: %s", path, strerror(errno));
        return 1;
    }
    if (lock_for_edit(path, &eo))
        return 1;
    cfg = load(path);
    if (!cfg) {
        edit_done(&eo);
        return 1;
    }
    d = xlcfg_diags_new();
    e = xlcfg_edit_new(cfg, 0);
    if (!d || !e) {
        xl_err("out of memory");
        rc = 1;
        goto out;
    }
    from = xl_boot_policy_current(cfg);
    if (xl_boot_policy_apply(e, (enum xl_boot_policy)to, &bo, &what, d)) {
        xl_print_diags(d);
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
    edit_done(&eo);
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
    eo->target = NULL;
    eo->lock_fd = -1;
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
    if (lock_for_edit(argv[optind], eo))
        return -1;
    *cfg_r = load(argv[optind]);
    if (!*cfg_r) {
        edit_done(eo);
        return -1;
    }
    *e_r = xlcfg_edit_new(*cfg_r, 0);
    if (!*e_r) {
        xl_err("out of memory");
        xlcfg_free(*cfg_r);
        edit_done(eo);
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
    edit_done(&eo);
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
    edit_done(&eo);
    return rc;
}

/* The reference's config-update: the given file (and key=value lines)
 * becomes the config the domain is rebuilt from at its next reboot. */
int main_config_update(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"defconfig", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    xlcfg_cfg *cfg = NULL;
    char *text = NULL;
    size_t len = 0;
    const char *src, *file = NULL;
    bool dry_run = false, debug = false;
    uint32_t domid;
    int opt, rc = 0, i;

    while ((opt = xl_getopt(argc, argv, "nf:dq", opts, 1, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'n':
            dry_run = true;
            break;
        case 'f':
            file = optarg;
            break;
        case 'd':
            debug = true;
            break;
        case 'q': /* accepted, as Xen's xl does, and without effect */
            break;
        }
    }
    /* one config file, given as -f FILE or anywhere among the key=value
     * arguments (as Xen's xl takes it) */
    for (i = optind + 1; i < argc; i++) {
        if (strchr(argv[i], '='))
            continue;
        if (file) {
            xl_err("config-update: '%s': the config file is '%s' already; "
                   "give one, and settings as key=value",
                   argv[i], file);
            return 2;
        }
        file = argv[i];
    }
    if (xl_ctx_init() || xl_find_domain(argv[optind], &domid))
        return 1;
    rc = 1;
    if (file) {
        cfg = load(file);
        if (!cfg)
            return 1;
        src = xlcfg_source_text(cfg, 0, &len);
        text = malloc(len + 2);
        if (!text)
            goto oom;
        memcpy(text, src, len);
        if (len && text[len - 1] != '\n')
            text[len++] = '\n';
        xlcfg_free(cfg);
        cfg = NULL;
    } else {
        int pending;

        /* only key=value: on top of what the domain boots from next */
        if (xl_storedcfg_next_text(ctx, domid, &text, &len, &pending)) {
            xl_err("domain '%s' has no stored config text to update: give "
                   "a config file",
                   argv[optind]);
            return 1;
        }
    }
    for (i = optind + 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        char *t;

        if (!strchr(argv[i], '='))
            continue; /* the config file */
        t = realloc(text, len + n + 3);
        if (!t)
            goto oom;
        text = t;
        if (len && text[len - 1] != '\n')
            text[len++] = '\n';
        memcpy(text + len, argv[i], n);
        len += n;
        text[len++] = '\n';
    }
    /* the pipeline reports syntax errors too; -d and -N (xl's global dry
     * run) show the result as Xen's xl does, -n (ours) the text */
    if (check_translates("<updated config>", text ? text : "", len,
                         debug || xl_dryrun ? stdout : NULL))
        goto out;
    if (xl_dryrun) {
        rc = 0;
        goto out;
    }
    if (dry_run) {
        fwrite(text, 1, len, stdout);
        rc = 0;
        goto out;
    }
    if (xl_storedcfg_store_pending(ctx, domid, text, len)) {
        xl_err("cannot store the new config of domain '%s'", argv[optind]);
        goto out;
    }
    fprintf(stderr, "setting dom%u configuration\n", domid);
    rc = 0;
    goto out;
oom:
    xl_err("out of memory");
out:
    free(text);
    xlcfg_free(cfg);
    return rc;
}
