/* xlconf.c: the one reader of xl.conf (see xlconf.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlconf.h"

void xl_conf_init(struct xl_conf *c)
{
    memset(c, 0, sizeof(*c));
    c->run_hotplug_scripts = 1;
    c->claim_mode = 1;
    c->max_grant_frames = -1;
    c->max_maptrack_frames = -1;
    c->kernel_cache = true;
    c->autoballoon = XL_AUTOBALLOON_AUTO;
    c->max_grant_version = -1;
    c->output_format = XL_OUTPUT_JSON;
}

void xl_conf_cpumask_clear(struct xl_conf_cpumask *m)
{
    xlcfg_cpulist_dispose(&m->list);
    free(m->text);
    free(m->file);
    free(m->source_line);
    memset(m, 0, sizeof(*m));
}

void xl_conf_dispose(struct xl_conf *c)
{
    free(c->blkdev_start);
    free(c->vif_script);
    free(c->vif_bridge);
    free(c->vif_gatewaydev);
    free(c->vif_backend);
    free(c->kernel_cache_dir);
    free(c->lockfile);
    xl_conf_cpumask_clear(&c->vm_cpumask);
    xl_conf_cpumask_clear(&c->pv_cpumask);
    xl_conf_cpumask_clear(&c->hvm_cpumask);
    xl_conf_init(c);
}

/* *dst = copy of key's string (first of `keys` that is set); 0, ENOENT,
 * EINVAL (diagnosed) or ENOMEM. */
static int get_string(const xlcfg_cfg *cfg, const char *const *keys, char **dst,
                      xlcfg_diags *d)
{
    const char *s;
    char *copy;
    int rc = ENOENT;

    for (; *keys && rc == ENOENT; keys++)
        rc = xlcfg_get_string(cfg, *keys, &s, d);
    if (rc)
        return rc;
    copy = strdup(s);
    if (!copy)
        return ENOMEM;
    free(*dst);
    *dst = copy;
    return 0;
}

static void at_value(const xlcfg_cfg *cfg, const char *key, xlcfg_loc *loc)
{
    xlcfg_value_loc(cfg, xlcfg_get(cfg, key), loc);
}

/* A number in [lo, INT_MAX]; anything else is an error at the value. */
static int get_int(const xlcfg_cfg *cfg, const char *key, int lo, int *dst,
                   xlcfg_diags *d)
{
    long long l;
    xlcfg_loc loc;
    int rc = xlcfg_get_long(cfg, key, &l, d);

    if (!rc && (l < lo || l > INT_MAX)) {
        at_value(cfg, key, &loc);
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL,
                        "%s must be %d to %d, not %lld", key, lo, INT_MAX, l);
        return EINVAL;
    }
    if (!rc)
        *dst = (int)l;
    return rc;
}

/* key = one of words[] (NULL-terminated); its index, or -1 (not set, or
 * not one of them: an error at the value naming them). */
static int get_word(const xlcfg_cfg *cfg, const char *key,
                    const char *const *words, const char *expect,
                    xlcfg_diags *d)
{
    const char *s;
    xlcfg_loc loc;

    if (xlcfg_get_string(cfg, key, &s, d))
        return -1;
    for (int i = 0; words[i]; i++)
        if (!strcmp(s, words[i]))
            return i;
    at_value(cfg, key, &loc);
    xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, expect, "invalid %s '%s'", key,
                    s);
    return -1;
}

/* A knob of ours that is not what we take: a warning at its value. */
static void ignored(const xlcfg_cfg *cfg, const char *key, const char *why,
                    xlcfg_diags *d)
{
    xlcfg_loc loc;

    at_value(cfg, key, &loc);
    xlcfg_diags_add(d, XLCFG_SEV_WARNING, &loc, why,
                    "%s is ignored; the default is used", key);
}

/* autoballoon = "on" | "off" | "auto" (the reference also takes "1"
 * and "0", and a number 1 or 0). */
static void read_autoballoon(struct xl_conf *c, const xlcfg_cfg *cfg,
                             xlcfg_diags *d)
{
    static const struct {
        const char *word;
        enum xl_autoballoon value;
    } words[] = {
        {"on", XL_AUTOBALLOON_ON},     {"1", XL_AUTOBALLOON_ON},
        {"off", XL_AUTOBALLOON_OFF},   {"0", XL_AUTOBALLOON_OFF},
        {"auto", XL_AUTOBALLOON_AUTO},
    };
    const char *s;
    xlcfg_loc loc;

    if (xlcfg_get_string(cfg, "autoballoon", &s, d))
        return;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (!strcmp(s, words[i].word)) {
            c->autoballoon = words[i].value;
            return;
        }
    }
    at_value(cfg, "autoballoon", &loc);
    xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc,
                    "autoballoon is \"on\", \"off\" or \"auto\"",
                    "invalid autoballoon '%s'", s);
}

/* kernel_cache, kernel_cache_dir, kernel_cache_max_mb. */
static int read_kcache(struct xl_conf *c, const xlcfg_cfg *cfg, xlcfg_diags *d)
{
    static const char *const dir[] = {"kernel_cache_dir", NULL};
    char *s = NULL;
    long long mb;
    bool on;
    int rc;

    if (!xlcfg_get_bool(cfg, "kernel_cache", &on, d))
        c->kernel_cache = on;
    rc = get_string(cfg, dir, &s, d);
    if (rc == ENOMEM)
        return ENOMEM;
    if (!rc && s[0] != '/') {
        /* a relative directory would depend on the cwd */
        ignored(cfg, "kernel_cache_dir", "give an absolute path", d);
        free(s);
    } else if (!rc) {
        free(c->kernel_cache_dir);
        c->kernel_cache_dir = s;
    }
    rc = xlcfg_get_long(cfg, "kernel_cache_max_mb", &mb, d);
    if (!rc && (mb <= 0 || mb > (1ll << 30)))
        ignored(cfg, "kernel_cache_max_mb", "give a size in MiB, 1 or more", d);
    else if (!rc)
        c->kernel_cache_max_mb = (unsigned long long)mb;
    return 0;
}

/* A copy of the line loc->source_line points into (it ends at '\n'). */
static char *line_copy(const char *line)
{
    return line ? strndup(line, strcspn(line, "\n")) : NULL;
}

/* vm.cpumask, vm.pv.cpumask, vm.hvm.cpumask: a CPU list as cpus= takes
 * it. A bad list is an error here: the reference would go on with the
 * part it had read before the bad term. */
static int read_mask(const xlcfg_cfg *cfg, const char *key,
                     struct xl_conf_cpumask *m, xlcfg_diags *d)
{
    struct xl_conf_cpumask n = {.set = true};
    const char *s;
    xlcfg_loc loc;
    int rc;

    if (xlcfg_get_string(cfg, key, &s, d))
        return 0;
    at_value(cfg, key, &loc);
    rc = xlcfg_parse_cpulist(s, &loc, &n.list, d);
    if (rc) {
        xlcfg_cpulist_dispose(&n.list);
        return rc == ENOMEM ? ENOMEM : 0; /* diagnosed */
    }
    n.text = strdup(s);
    n.file = loc.file ? strdup(loc.file) : NULL;
    n.line = loc.line;
    n.col = loc.col;
    n.source_line = line_copy(loc.source_line);
    if (!n.text || (loc.file && !n.file) ||
        (loc.source_line && !n.source_line)) {
        xl_conf_cpumask_clear(&n);
        return ENOMEM;
    }
    xl_conf_cpumask_clear(m);
    *m = n;
    return 0;
}

/* Every option of xl.conf(5) of Xen 4.17, and ours. */
static const char *const known_keys[] = {
    "autoballoon",
    "blkdev_start",
    "claim_mode",
    "colo.default.proxyscript",
    "defaultbridge",
    "domid_policy",
    "kernel_cache",
    "kernel_cache_dir",
    "kernel_cache_max_mb",
    "lockfile",
    "max_grant_frames",
    "max_grant_version",
    "max_maptrack_frames",
    "output_format",
    "remus.default.netbufscript",
    "run_hotplug_scripts",
    "vif.default.backend",
    "vif.default.bridge",
    "vif.default.gatewaydev",
    "vif.default.script",
    "vifscript",
    "vm.cpumask",
    "vm.hvm.cpumask",
    "vm.pv.cpumask",
    NULL,
};

/* A warning at the key of every statement that sets `key` (all of them
 * when key is NULL: then only the unknown keys). */
static void warn_keys(const xlcfg_cfg *cfg, const char *key, const char *hint,
                      const char *before, const char *after, xlcfg_diags *d)
{
    for (size_t i = 0; i < xlcfg_nsettings(cfg); i++) {
        const xlcfg_setting *st = xlcfg_setting_at(cfg, i);
        const char *text = xlcfg_source_text(cfg, st->source, NULL);
        xlcfg_loc loc = {
            .file = xlcfg_source_name(cfg, st->source),
            .line = st->key_span.line,
            .col = st->key_span.col,
            .source_line =
                text ? text + st->key_span.begin - (st->key_span.col - 1)
                     : NULL,
        };
        bool known = false;
        const char *sug = NULL;
        char mean[128];

        if (key && strcmp(st->key, key))
            continue;
        for (size_t k = 0; !key && known_keys[k] && !known; k++)
            known = !strcmp(st->key, known_keys[k]);
        if (known)
            continue;
        if (!key)
            sug = xlcfg_suggest(st->key, known_keys);
        if (sug)
            snprintf(mean, sizeof(mean), "did you mean '%s'?", sug);
        xlcfg_diags_add(d, XLCFG_SEV_WARNING, &loc, sug ? mean : hint, "%s%s%s",
                        before, st->key, after);
    }
}

/* What the reference reads that needs a word of ours. */
static void warn_notes(const xlcfg_cfg *cfg, xlcfg_diags *d)
{
    static const struct {
        const char *key, *hint, *what;
    } notes[] = {
        {"vifscript", "write vif.default.script = \"...\" instead",
         " is deprecated (still honoured when vif.default.script is not "
         "set)"},
        {"defaultbridge", "write vif.default.bridge = \"...\" instead",
         " is deprecated (still honoured when vif.default.bridge is not "
         "set)"},
        {"remus.default.netbufscript", "remove it, or use Xen's xl for Remus",
         " has no effect: this xl has no remus command"},
        {"colo.default.proxyscript", "remove it, or use Xen's xl for COLO",
         " has no effect: this xl has no remus command (COLO is one of its "
         "modes)"},
    };

    for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
        warn_keys(cfg, notes[i].key, notes[i].hint, "", notes[i].what, d);
    warn_keys(cfg, NULL, "xl.conf(5) lists the options", "unknown option '",
              "' is ignored", d);
}

/* domid_policy, output_format, max_grant_version and the CPU masks. */
static int read_domain_defaults(struct xl_conf *c, const xlcfg_cfg *cfg,
                                xlcfg_diags *d)
{
    static const char *const policies[] = {"xen", "random", NULL};
    static const char *const formats[] = {"json", "sxp", NULL};
    int i, rc;

    i = get_word(cfg, "domid_policy", policies,
                 "domid_policy is \"xen\" or "
                 "\"random\"",
                 d);
    if (i >= 0)
        c->domid_random = i == 1;
    i = get_word(cfg, "output_format", formats,
                 "output_format is \"json\" or \"sxp\"", d);
    if (i >= 0)
        c->output_format = i ? XL_OUTPUT_SXP : XL_OUTPUT_JSON;
    get_int(cfg, "max_grant_version", 0, &c->max_grant_version, d);
    rc = read_mask(cfg, "vm.cpumask", &c->vm_cpumask, d);
    if (!rc)
        rc = read_mask(cfg, "vm.pv.cpumask", &c->pv_cpumask, d);
    if (!rc)
        rc = read_mask(cfg, "vm.hvm.cpumask", &c->hvm_cpumask, d);
    return rc;
}

int xl_conf_read(struct xl_conf *c, const char *path, xlcfg_diags *d)
{
    static const char *const blkdev_start[] = {"blkdev_start", NULL};
    /* The reference still honours the deprecated names. */
    static const char *const script[] = {"vif.default.script", "vifscript",
                                         NULL};
    static const char *const bridge[] = {"vif.default.bridge", "defaultbridge",
                                         NULL};
    static const char *const gatewaydev[] = {"vif.default.gatewaydev", NULL};
    static const char *const backend[] = {"vif.default.backend", NULL};
    static const char *const lockfile[] = {"lockfile", NULL};
    struct {
        const char *const *keys;
        char **dst;
    } strings[] = {
        {blkdev_start, &c->blkdev_start}, {script, &c->vif_script},
        {bridge, &c->vif_bridge},         {gatewaydev, &c->vif_gatewaydev},
        {backend, &c->vif_backend},       {lockfile, &c->lockfile},
    };
    xlcfg_cfg *cfg = NULL;
    int rc;

    if (access(path, F_OK) && errno == ENOENT)
        return 0;
    cfg = xlcfg_new();
    if (!cfg)
        return ENOMEM;
    rc = xlcfg_read_file(cfg, path, d);
    if (rc)
        goto out;
    get_int(cfg, "run_hotplug_scripts", INT_MIN, &c->run_hotplug_scripts, d);
    get_int(cfg, "claim_mode", INT_MIN, &c->claim_mode, d);
    get_int(cfg, "max_grant_frames", 0, &c->max_grant_frames, d);
    get_int(cfg, "max_maptrack_frames", 0, &c->max_maptrack_frames, d);
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (get_string(cfg, strings[i].keys, strings[i].dst, d) == ENOMEM) {
            rc = ENOMEM;
            goto out;
        }
    read_autoballoon(c, cfg, d);
    warn_notes(cfg, d);
    rc = read_domain_defaults(c, cfg, d);
    if (!rc)
        rc = read_kcache(c, cfg, d);
    if (!rc && xlcfg_diags_errors(d))
        rc = EINVAL;
out:
    xlcfg_free(cfg);
    return rc;
}
