/* translate.h: libxlcfg model -> libxl_domain_config, as Xen's xl maps it. */
#ifndef XL_TRANSLATE_H
#define XL_TRANSLATE_H

#include <stdbool.h>

#include <libxl.h>

#include "libxlcfg.h"

/*
 * The xl.conf settings that change a domain's configuration. They are
 * part of the translation because the reference copies them into the
 * libxl_domain_config (and so into `create -n` output).
 */
typedef struct xl_create_defaults {
    int run_hotplug_scripts; /* xl.conf run_hotplug_scripts, default 1 */
    int claim_mode;          /* xl.conf claim_mode, default 1 */
    int max_grant_frames;    /* -1: libxl's default */
    int max_maptrack_frames; /* -1: libxl's default */
    char *blkdev_start;      /* NULL: libxl's default */
    char *vif_script;        /* vif.default.script, NULL if unset */
    /* Leave hotplug script fields as Xen's xl would (NULL unless the
     * spec or xl.conf names one) instead of pointing libxl at our own
     * scripts: `create -n` output is then byte-identical to Debian's. */
    bool reference_scripts;
} xl_create_defaults;

/* Defaults as the reference has them with an empty xl.conf. */
void xl_create_defaults_init(xl_create_defaults *defs);
void xl_create_defaults_dispose(xl_create_defaults *defs);

/*
 * Read the xl.conf keys above from `path`. A missing file is not an
 * error (returns 0 and keeps the defaults); syntax or type errors are
 * diagnosed in `d` and return EINVAL.
 */
int xl_create_defaults_read(xl_create_defaults *defs, const char *path,
                            xlcfg_diags *d);

/*
 * Fill `dc` (initialised by the caller with libxl_domain_config_init)
 * from `cfg` exactly as Xen 4.17's xl does, so that
 * libxl_domain_config_to_json() of the result is byte-identical.
 *
 * `ctx` may be NULL (dry run on a machine without Xen): then the host's
 * CPU count comes from sysconf() and every CPU is taken to be on NUMA
 * node 0. Every problem is diagnosed in `d` at the offending value;
 * returns 0, EINVAL (at least one error) or ENOMEM. On failure `dc` may
 * be partly filled: the caller disposes it as usual.
 */
int xl_translate(libxl_ctx *ctx, const xlcfg_cfg *cfg,
                 const xl_create_defaults *defs, libxl_domain_config *dc,
                 xlcfg_diags *d);

/* "destroy", "restart", ... -> action; returns 0 or EINVAL. */
int xl_action_from_string(const char *s, libxl_action_on_shutdown *a_r);
const char *xl_action_to_string(libxl_action_on_shutdown a);

#endif /* XL_TRANSLATE_H */
