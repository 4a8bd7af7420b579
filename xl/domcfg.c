/* domcfg.c: a domain's config text in libxl userdata (see domcfg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"
#include "libxlcfg.h"
#include "translate.h"

#define XL_GLOBAL_CONFIG "/etc/xen/xl.conf"

static int store(libxl_ctx *c, uint32_t domid, const char *key,
                 const char *text, size_t len)
{
    /* libxl's userdata API takes an int length */
    if (len > (size_t)0x7fffffff)
        return EFBIG;
    return libxl_userdata_store(c, domid, key, (const uint8_t *)text, (int)len)
               ? EIO
               : 0;
}

int xl_domcfg_store_source(libxl_ctx *c, uint32_t domid, const char *text,
                           size_t len)
{
    return store(c, domid, XL_USERDATA_SOURCE, text, len);
}

int xl_domcfg_store_pending(libxl_ctx *c, uint32_t domid, const char *text,
                            size_t len)
{
    return store(c, domid, XL_USERDATA_PENDING, text, len);
}

static int retrieve(libxl_ctx *c, uint32_t domid, const char *key,
                    char **text_r, size_t *len_r)
{
    uint8_t *data = NULL;
    int len = 0;
    char *text;

    if (libxl_userdata_retrieve(c, domid, key, &data, &len))
        return EIO;
    if (!data || len <= 0) {
        free(data);
        return ENOENT;
    }
    text = realloc(data, (size_t)len + 1);
    if (!text) {
        free(data);
        return ENOMEM;
    }
    text[len] = '\0';
    *text_r = text;
    *len_r = (size_t)len;
    return 0;
}

int xl_domcfg_next_text(libxl_ctx *c, uint32_t domid, char **text_r,
                        size_t *len_r, int *pending_r)
{
    int rc = retrieve(c, domid, XL_USERDATA_PENDING, text_r, len_r);

    *pending_r = rc == 0;
    if (rc == ENOENT)
        rc = retrieve(c, domid, XL_USERDATA_SOURCE, text_r, len_r);
    return rc;
}

/* The config text of the domain this process creates and watches. */
static char *current;
static size_t current_len;

int xl_domcfg_set_current(const char *text, size_t len)
{
    char *t = malloc(len + 1);

    if (!t)
        return ENOMEM;
    memcpy(t, text, len);
    t[len] = '\0';
    free(current);
    current = t;
    current_len = len;
    return 0;
}

int xl_domcfg_store_current(libxl_ctx *c, uint32_t domid)
{
    return current ? store(c, domid, XL_USERDATA_SOURCE, current, current_len)
                   : 0;
}

int xl_domcfg_apply_pending(libxl_ctx *c, uint32_t domid,
                            libxl_domain_config *dc, char **why_r)
{
    xl_create_defaults defs;
    libxl_domain_config fresh;
    xlcfg_cfg *cfg = NULL;
    xlcfg_diags *d = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc;

    *why_r = NULL;
    xl_create_defaults_init(&defs);
    libxl_domain_config_init(&fresh);
    rc = retrieve(c, domid, XL_USERDATA_PENDING, &text, &len);
    if (rc)
        goto out;
    cfg = xlcfg_new();
    d = xlcfg_diags_new();
    if (!cfg || !d) {
        rc = ENOMEM;
        goto out;
    }
    rc = xl_create_defaults_read(&defs, XL_GLOBAL_CONFIG, d);
    if (!rc)
        rc = xlcfg_read(cfg, "<updated config>", text, len, d);
    if (!rc)
        rc = xlcfg_validate(cfg, d);
    if (!rc)
        rc = xl_translate(c, cfg, &defs, &fresh, d);
    if (rc) {
        *why_r = xlcfg_diags_format(d);
        goto out;
    }
    libxl_domain_config_dispose(dc);
    memcpy(dc, &fresh, sizeof(fresh));
    libxl_domain_config_init(&fresh);
    libxl_userdata_unlink(c, domid, XL_USERDATA_PENDING);
    free(current);
    current = text; /* what the next build stores as its source */
    current_len = len;
    text = NULL;
out:
    libxl_domain_config_dispose(&fresh);
    xl_create_defaults_dispose(&defs);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    free(text);
    return rc;
}
