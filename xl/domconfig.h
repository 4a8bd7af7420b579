/*
 * domconfig.h: the one route from config text to libxl: xl.conf (read by
 * the caller, passed in) -> libxlcfg read -> validate (which parses every
 * disk, vif, pci and cpu spec once and keeps the structs) -> translate
 * (which maps those structs) -> libxl_domain_config. create, check-config,
 * restore, migrate-receive, save/migrate -C, config-update, boot-policy
 * and the monitor's restart all come this way. Loading prints nothing:
 * the diagnostics come back for the caller to print once
 * (xl_print_diags); xl_domconfig_print shows a result.
 */
#ifndef XL_DOMCONFIG_H
#define XL_DOMCONFIG_H

#include <stddef.h>
#include <stdio.h>

#include <libxl.h>

#include "libxlcfg.h"
#include "translate.h"

struct xl_conf;

/* Where the config comes from: a file, or text already in memory. */
struct xl_domconfig_src {
    const char *path; /* a file, used as given; NULL: `text` */
    const char *name; /* `text`'s name in diagnostics ("<saved config>") */
    const char *text; /* with path NULL: the config (NULL: none, only
                       * overrides) */
    size_t len;
    /* "key=value\n" lines read after the file, named "<command line>"
     * (last assignment wins); NULL: none. */
    const char *overrides;
};

/* The result. Every field is owned: xl_domconfig_dispose frees it. */
struct xl_domconfig {
    libxl_domain_config dc; /* translated (when load returned 0) */
    char *text;             /* the sources read, each ending in '\n': what
                             * a domain built from dc keeps (storedcfg.h) */
    size_t len;
    xlcfg_diags *diags;   /* everything the steps said, in order */
    struct xl_tr_env env; /* for the environment of the build (translate.h) */
};

enum {
    /* Leave hotplug script fields as Xen's xl does (create -n). */
    XL_DOMCONFIG_REFERENCE_SCRIPTS = 1u << 0,
};

void xl_domconfig_init(struct xl_domconfig *r);
void xl_domconfig_dispose(struct xl_domconfig *r);

/*
 * Read, validate and translate into *r (initialised by the caller with
 * xl_domconfig_init; on failure dc may be partly filled, dispose as
 * usual). Validation runs even after syntax errors, so one run shows every
 * problem of a file; translation runs only on a file without errors.
 * create -n and check-config both come here with ctx NULL when there is no
 * hypervisor, and so give the same verdict and the same diagnostics. `ctx` may
 * be NULL (no hypervisor: host figures from sysconf, see xl_translate). Returns
 * 0; EINVAL when the config has errors (in r->diags); the errno of reading the
 * file (ENOENT, EACCES, EISDIR, ...: a diagnostic names the file); ENOMEM.
 */
int xl_domconfig_load(libxl_ctx *ctx, const struct xl_conf *conf,
                      const struct xl_domconfig_src *src, unsigned flags,
                      struct xl_domconfig *r);

/* Print dc on `out` as xl.conf's output_format says: libxl's JSON (ctx
 * may be NULL, as for xl_domconfig_load), or
 * xm's S-expressions as a domain not yet created (create -n, create -d,
 * config-update -d/-N, restore -d). Returns 0; 1 after an error message
 * (no JSON: out of memory; no SXP form: a PVH domain, as Xen's xl). */
int xl_domconfig_print(libxl_ctx *ctx, FILE *out, const struct xl_conf *conf,
                       libxl_domain_config *dc);

#endif /* XL_DOMCONFIG_H */
