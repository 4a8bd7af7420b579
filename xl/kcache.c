/* kcache.c: the kernel cache's hooks into xl create (kcache.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcache.h"
#include "libxl_internals.h"
#include "xlconf.h"
#include "xl.h"

void xl_kcache_opts_from_conf(struct xl_kcache_opts *o,
                              const struct xl_conf *conf)
{
    xl_kcache_opts_init(o);
    o->enabled = conf->kernel_cache;
    if (conf->kernel_cache_dir)
        o->dir = conf->kernel_cache_dir;
    if (conf->kernel_cache_max_mb)
        o->max_bytes = (uint64_t)conf->kernel_cache_max_mb << 20;
}

/* ------------------------------------------------------------- create */

void xl_kcache_prepare(libxl_domain_config *dc, const struct xl_conf *conf,
                       struct xl_kcache_state *st,
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
    xl_kcache_opts_from_conf(&o, conf);
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
    if (libxl_userdata_retrieve(c, domid, XL_LIBXL_USERDATA_JSON, &data,
                                &len) ||
        !data || len <= 0)
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
        libxl_userdata_store(c, domid, XL_LIBXL_USERDATA_JSON,
                             (const uint8_t *)out, (int)strlen(out) + 1)) {
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
