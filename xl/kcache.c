/* kcache.c: the kernel cache's hooks into xl create, and its xl.conf knobs
 * (kcache.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcache.h"
#include "libxlcfg.h"
#include "xl.h"

#define XL_GLOBAL_CONF "/etc/xen/xl.conf"

/* kernel_cache_dir from xl.conf, owned here (opts.dir borrows it). */
static char *conf_dir;

int xl_kcache_opts_from_xlconf(struct xl_kcache_opts *o, const char *path,
                               char **why_r)
{
    xlcfg_cfg *cfg = NULL;
    xlcfg_diags *d = NULL;
    const char *s = NULL;
    long long mb = 0;
    bool on = true;
    int rc, r;

    xl_kcache_opts_init(o);
    if (why_r)
        *why_r = NULL;
    cfg = xlcfg_new();
    d = xlcfg_diags_new();
    if (!cfg || !d) {
        rc = ENOMEM;
        goto out;
    }
    rc = xlcfg_read_file(cfg, path ? path : XL_GLOBAL_CONF, d);
    if (rc == ENOENT) {
        rc = 0;
        goto out;
    }
    /* A syntax error elsewhere in xl.conf is the create path's business;
     * read what parsed. */
    rc = 0;
    r = xlcfg_get_bool(cfg, "kernel_cache", &on, d);
    if (r == 0)
        o->enabled = on;
    else if (r != ENOENT)
        rc = r;
    r = xlcfg_get_string(cfg, "kernel_cache_dir", &s, d);
    if (r == 0 && s[0] == '/') {
        char *copy = strdup(s);
        if (!copy) {
            rc = ENOMEM;
            goto out;
        }
        free(conf_dir);
        conf_dir = copy;
        o->dir = conf_dir;
    } else if (r == 0) {
        rc = EINVAL; /* a relative cache directory depends on the cwd */
    } else if (r != ENOENT) {
        rc = r;
    }
    r = xlcfg_get_long(cfg, "kernel_cache_max_mb", &mb, d);
    if (r == 0 && mb > 0 && mb <= (1ll << 30))
        o->max_bytes = (uint64_t)mb << 20;
    else if (r == 0 || r != ENOENT)
        rc = r ? r : EINVAL;
out:
    if (rc && why_r) {
        char *text = d ? xlcfg_diags_format(d) : NULL;
        if (asprintf(why_r, "%s: kernel_cache settings: %s",
                     path ? path : XL_GLOBAL_CONF,
                     text && *text  ? text
                     : rc == EINVAL ? "kernel_cache_dir must be absolute and "
                                      "kernel_cache_max_mb positive"
                                    : strerror(rc)) < 0)
            *why_r = NULL;
        free(text);
    }
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    return rc;
}

/* ------------------------------------------------------------- create */

void xl_kcache_prepare(libxl_domain_config *dc, struct xl_kcache_state *st,
                       struct xl_kcache_check **check_r)
{
    libxl_domain_build_info *b = &dc->b_info;
    struct xl_kcache_opts o;
    char *path = NULL, *why = NULL;

    if (check_r)
        *check_r = NULL;
    if (!b->kernel || b->bootloader ||
        (dc->c_info.type != LIBXL_DOMAIN_TYPE_PV &&
         dc->c_info.type != LIBXL_DOMAIN_TYPE_PVH))
        return;
    /* A restart: libxl's stored config names the entry we handed out. */
    if (st->orig && st->cached && !strcmp(b->kernel, st->cached)) {
        char *orig = strdup(st->orig);
        if (!orig)
            return;
        free(b->kernel);
        b->kernel = orig;
    }
    if (xl_kcache_opts_from_xlconf(&o, NULL, &why) && why) {
        xl_err("warning: %s", why);
    }
    free(why);
    why = NULL;
    if (check_r ? xl_kcache_get_deferred(b->kernel, &o, &path, &why, check_r)
                : xl_kcache_get(b->kernel, &o, &path, &why)) {
        free(why);
        return; /* out of memory: libxl gets the original */
    }
    if (xl_verbose && why)
        fprintf(stderr, "xl: kernel cache: %s\n", why);
    free(why);
    if (!strcmp(path, b->kernel)) {
        free(path);
        return;
    }
    free(st->orig);
    free(st->cached);
    st->orig = b->kernel;
    st->cached = strdup(path);
    b->kernel = path;
}

void xl_kcache_after_create(libxl_ctx *c, uint32_t domid,
                            const struct xl_kcache_state *st)
{
    libxl_domain_config dc;
    uint8_t *data = NULL;
    char *json = NULL, *out = NULL;
    int len = 0;

    if (!st->orig || !st->cached)
        return;
    libxl_domain_config_init(&dc);
    if (libxl_userdata_retrieve(c, domid, "libxl-json", &data, &len) || !data ||
        len <= 0)
        goto out;
    json = malloc((size_t)len + 1);
    if (!json)
        goto out;
    memcpy(json, data, (size_t)len);
    json[len] = '\0';
    if (libxl_domain_config_from_json(c, &dc, json) || !dc.b_info.kernel ||
        strcmp(dc.b_info.kernel, st->cached))
        goto out;
    free(dc.b_info.kernel);
    dc.b_info.kernel = strdup(st->orig);
    if (!dc.b_info.kernel)
        goto out;
    out = libxl_domain_config_to_json(c, &dc);
    if (!out ||
        libxl_userdata_store(c, domid, "libxl-json", (const uint8_t *)out,
                             (int)strlen(out) + 1)) {
        if (xl_verbose)
            fprintf(stderr,
                    "xl: kernel cache: could not record kernel %s "
                    "in domain %u's stored config\n",
                    st->orig, domid);
    }
out:
    free(out);
    free(json);
    free(data);
    libxl_domain_config_dispose(&dc);
}
