/*
 * storedcfg.h: the config text a domain was created from, and the one it
 * will boot from next, kept as libxl userdata beside libxl's own JSON.
 *
 * As in Xen's xl, a config stored under the userdata key "xl" (by
 * `xl config-update`, or `xl boot-policy DOMAIN ...`) replaces the
 * domain's configuration at its next restart, and is then removed. Our
 * create also keeps the text it built the domain from (key
 * "xl-toolstack.cfg") so a running domain's config can be edited
 * losslessly, comments included.
 */
#ifndef XL_STOREDCFG_H
#define XL_STOREDCFG_H

#include <stddef.h>
#include <stdint.h>

#include <libxl.h>

struct xl_conf;

#define XL_USERDATA_PENDING "xl"
#define XL_USERDATA_SOURCE "xl-toolstack.cfg"

/* The text the domain boots from next: the pending one if there is one
 * (*pending_r = 1), else the one it was created from. ENOENT if neither
 * is stored (a domain created by another toolstack). *text_r is malloc'd
 * and NUL-terminated. */
int xl_storedcfg_next_text(libxl_ctx *c, uint32_t domid, char **text_r,
                           size_t *len_r, int *pending_r);

/* Store `text` as the configuration of the domain's next boot. */
int xl_storedcfg_store_pending(libxl_ctx *c, uint32_t domid, const char *text,
                               size_t len);

/* The text of the domain being created (its config file and command-line
 * overrides), kept by create and stored for each domain it builds. */
int xl_storedcfg_set_current(const char *text, size_t len);
int xl_storedcfg_store_current(libxl_ctx *c, uint32_t domid);

/* For the monitor before a restart: if a pending config is stored, run
 * it through the pipeline (domconfig.h, with xl.conf `conf`) into *dc
 * (replacing it), make it the current text and drop the pending copy. Returns 0
 * if dc was replaced, ENOENT if nothing is pending, else an errno value (dc
 * untouched) with the reason in *why_r (malloc'd). */
int xl_storedcfg_apply_pending(libxl_ctx *c, const struct xl_conf *conf,
                               uint32_t domid, libxl_domain_config *dc,
                               char **why_r);

#endif /* XL_STOREDCFG_H */
