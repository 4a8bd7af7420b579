/* domconfig.c: config text -> libxl_domain_config, once (domconfig.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domconfig.h"
#include "sxp.h"
#include "translate.h"
#include "xl.h"
#include "xlconf.h"

void xl_domconfig_init(struct xl_domconfig *r)
{
    memset(r, 0, sizeof(*r));
    libxl_domain_config_init(&r->dc);
    xl_tr_env_init(&r->env);
}

void xl_domconfig_dispose(struct xl_domconfig *r)
{
    libxl_domain_config_dispose(&r->dc);
    free(r->text);
    xlcfg_diags_free(r->diags);
    xl_tr_env_dispose(&r->env);
    xl_domconfig_init(r);
}

/* r->text = every source read, each ending in a newline. */
static int keep_text(const xlcfg_cfg *cfg, struct xl_domconfig *r)
{
    size_t total = 1, n, len = 0;
    char *text;

    for (unsigned i = 0; i < xlcfg_nsources(cfg); i++) {
        xlcfg_source_text(cfg, i, &n);
        total += n + 1;
    }
    text = malloc(total);
    if (!text)
        return ENOMEM;
    for (unsigned i = 0; i < xlcfg_nsources(cfg); i++) {
        const char *t = xlcfg_source_text(cfg, i, &n);

        memcpy(text + len, t, n);
        len += n;
        if (n && text[len - 1] != '\n')
            text[len++] = '\n';
    }
    text[len] = '\0';
    r->text = text;
    r->len = len;
    return 0;
}

int xl_domconfig_load(libxl_ctx *ctx, const struct xl_conf *conf,
                      const struct xl_domconfig_src *src, unsigned flags,
                      struct xl_domconfig *r)
{
    unsigned trflags =
        flags & XL_DOMCONFIG_REFERENCE_SCRIPTS ? XL_TR_REFERENCE_SCRIPTS : 0;
    xlcfg_cfg *cfg = xlcfg_new();
    int rc;

    if (!r->diags)
        r->diags = xlcfg_diags_new();
    if (!cfg || !r->diags) {
        rc = ENOMEM;
        goto out;
    }
    rc = 0;
    if (src->path) {
        rc = xlcfg_read_file(cfg, src->path, r->diags);
        if (rc && rc != EINVAL) {
            xlcfg_loc loc = {.file = src->path};

            if (rc != ENOMEM && !xlcfg_diags_errors(r->diags) &&
                xlcfg_diags_add(r->diags, XLCFG_SEV_ERROR, &loc, NULL,
                                "cannot read config file: %s", strerror(rc)))
                rc = ENOMEM;
            goto out;
        }
    } else if (src->text) {
        rc = xlcfg_read(cfg, src->name, src->text, src->len, r->diags);
    }
    if (src->overrides &&
        xlcfg_read(cfg, "<command line>", src->overrides,
                   strlen(src->overrides), r->diags) == ENOMEM)
        rc = ENOMEM;
    if (rc == ENOMEM)
        goto out;
    if (xlcfg_validate(cfg, r->diags) == ENOMEM) {
        rc = ENOMEM;
        goto out;
    }
    if (!xlcfg_diags_errors(r->diags)) {
        rc = keep_text(cfg, r);
        if (!rc)
            rc = xl_translate(ctx, cfg, conf, trflags, &r->dc, &r->env,
                              r->diags);
        if (rc == ENOMEM)
            goto out;
    }
    rc = xlcfg_diags_errors(r->diags) ? EINVAL : 0;
out:
    xlcfg_free(cfg);
    return rc;
}

int xl_domconfig_print(libxl_ctx *ctx, FILE *out, const struct xl_conf *conf,
                       libxl_domain_config *dc)
{
    char *json;

    if (conf->output_format == XL_OUTPUT_SXP)
        return xl_sxp_print(out, -1, NULL, dc) ? 1 : 0;
    json = libxl_domain_config_to_json(ctx, dc);
    if (!json) {
        xl_err("cannot convert the domain configuration to JSON");
        return 1;
    }
    fputs(json, out);
    free(json);
    return 0;
}
