/* storedcfg.c: a domain's config text in libxl userdata (see storedcfg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storedcfg.h"
#include "domconfig.h"
#include "libxlcfg.h"

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

int xl_storedcfg_store_pending(libxl_ctx *c, uint32_t domid, const char *text,
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

int xl_storedcfg_next_text(libxl_ctx *c, uint32_t domid, char **text_r,
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

int xl_storedcfg_set_current(const char *text, size_t len)
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

int xl_storedcfg_store_current(libxl_ctx *c, uint32_t domid)
{
    return current ? store(c, domid, XL_USERDATA_SOURCE, current, current_len)
                   : 0;
}

int xl_storedcfg_apply_pending(libxl_ctx *c, const struct xl_conf *conf,
                               uint32_t domid, libxl_domain_config *dc,
                               char **why_r)
{
    struct xl_domconfig r;
    struct xl_domconfig_src src = {.name = "<updated config>"};
    char *text = NULL;
    size_t len = 0;
    int rc;

    *why_r = NULL;
    xl_domconfig_init(&r);
    rc = retrieve(c, domid, XL_USERDATA_PENDING, &text, &len);
    if (rc)
        goto out;
    src.text = text;
    src.len = len;
    rc = xl_domconfig_load(c, conf, &src, 0, &r);
    if (rc) {
        *why_r = xlcfg_diags_format(r.diags);
        goto out;
    }
    rc = xl_tr_env_apply(&r.env);
    if (rc) {
        *why_r = strdup("cannot set the bootloader's environment");
        goto out;
    }
    libxl_domain_config_dispose(dc);
    memcpy(dc, &r.dc, sizeof(r.dc));
    libxl_domain_config_init(&r.dc);
    libxl_userdata_unlink(c, domid, XL_USERDATA_PENDING);
    free(current);
    current = text; /* what the next build stores as its source */
    current_len = len;
    text = NULL;
out:
    xl_domconfig_dispose(&r);
    free(text);
    return rc;
}
