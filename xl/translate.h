/* translate.h: libxlcfg model -> libxl_domain_config, as Xen's xl maps it. */
#ifndef XL_TRANSLATE_H
#define XL_TRANSLATE_H

#include <stdbool.h>

#include <libxl.h>

#include "libxlcfg.h"

struct xl_conf;

/* Leave hotplug script fields as Xen's xl would (NULL unless the spec or
 * xl.conf names one) instead of pointing libxl at our own scripts:
 * `create -n` output is then byte-identical to Debian's. */
#define XL_TR_REFERENCE_SCRIPTS 0x1u

/* What a config says that libxl 4.17 does not take in libxl_domain_config
 * but from the environment of the process that builds the domain:
 * bootloader_restrict / bootloader_user (XSA-443's deprivileged
 * bootloader, libxl's LIBXL_BOOTLOADER_RESTRICT / _USER). Applied by
 * xl_tr_env_apply() just before libxl runs the bootloader. */
struct xl_tr_env {
    int bootloader_restrict; /* -1: the config does not say; 0; 1 */
    char *bootloader_user;   /* owned; NULL: not given */
};

void xl_tr_env_init(struct xl_tr_env *e);
void xl_tr_env_dispose(struct xl_tr_env *e);
/* Set (or, for an explicit bootloader_restrict = 0, clear) libxl's
 * variables; with nothing in the config the environment is left as the
 * admin set it. Returns 0 or an errno value (ENOMEM). */
int xl_tr_env_apply(const struct xl_tr_env *e);

/*
 * Fill `dc` (initialised by the caller with libxl_domain_config_init)
 * from `cfg` exactly as Xen 4.17's xl does, so that
 * libxl_domain_config_to_json() of the result is byte-identical. `cfg`
 * must have passed xlcfg_validate(): its parsed device specs are mapped,
 * never parsed again. `conf` is xl.conf; `flags` XL_TR_*. `env_r` (may
 * be NULL: checked, then dropped) gets what goes to the environment; the
 * caller initialised it with xl_tr_env_init.
 *
 * `ctx` may be NULL (dry run on a machine without Xen): then the host's
 * CPU count comes from sysconf() and every CPU is taken to be on NUMA
 * node 0. Every problem is diagnosed in `d` at the offending value;
 * returns 0, EINVAL (at least one error) or ENOMEM. On failure `dc` may
 * be partly filled: the caller disposes it as usual.
 */
int xl_translate(libxl_ctx *ctx, const xlcfg_cfg *cfg,
                 const struct xl_conf *conf, unsigned flags,
                 libxl_domain_config *dc, struct xl_tr_env *env_r,
                 xlcfg_diags *d);

/* "destroy", "restart", ... -> action; returns 0 or EINVAL. */
int xl_action_from_string(const char *s, libxl_action_on_shutdown *a_r);
const char *xl_action_to_string(libxl_action_on_shutdown a);

#endif /* XL_TRANSLATE_H */
