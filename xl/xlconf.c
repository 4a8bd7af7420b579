/* xlconf.c: the one reader of xl.conf (see xlconf.h). */
#include <errno.h>
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

static int get_int(const xlcfg_cfg *cfg, const char *key, int *dst,
                   xlcfg_diags *d)
{
    long long l;
    int rc = xlcfg_get_long(cfg, key, &l, d);

    if (!rc)
        *dst = (int)l;
    return rc;
}

/* A knob of ours that is not what we take: a warning at its value. */
static void ignored(const xlcfg_cfg *cfg, const char *key, const char *why,
                    xlcfg_diags *d)
{
    xlcfg_loc loc;

    xlcfg_value_loc(cfg, xlcfg_get(cfg, key), &loc);
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
    xlcfg_value_loc(cfg, xlcfg_get(cfg, "autoballoon"), &loc);
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
    get_int(cfg, "run_hotplug_scripts", &c->run_hotplug_scripts, d);
    get_int(cfg, "claim_mode", &c->claim_mode, d);
    get_int(cfg, "max_grant_frames", &c->max_grant_frames, d);
    get_int(cfg, "max_maptrack_frames", &c->max_maptrack_frames, d);
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (get_string(cfg, strings[i].keys, strings[i].dst, d) == ENOMEM) {
            rc = ENOMEM;
            goto out;
        }
    read_autoballoon(c, cfg, d);
    rc = read_kcache(c, cfg, d);
    if (!rc && xlcfg_diags_errors(d))
        rc = EINVAL;
out:
    xlcfg_free(cfg);
    return rc;
}
