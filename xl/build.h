/*
 * build.h: building a domain from a translated libxl_domain_config, for
 * create, restore, migrate-receive and the monitor's restart: the build
 * lock, the duplicate-name refusal, ballooning dom0, the kernel cache
 * hand-over, the console client of `create -c`, and one clear message
 * when it fails.
 */
#ifndef XL_BUILD_H
#define XL_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include <libxl.h>

struct xl_conf;
struct xl_domconfig_src;

/* A domain's config for a build, through the one pipeline (domconfig.h,
 * `flags` XL_DOMCONFIG_*): its diagnostics printed once, then on errors
 * "xl: WHAT: the configuration has errors" followed by FATE (e.g. ";
 * nothing was created", or ""). On success *dc (initialised by the
 * caller, replaced here) is filled and the config text is kept for the
 * domain the next build makes (storedcfg.h). Returns 0 or 1. */
int xl_build_load_config(const struct xl_conf *conf,
                         const struct xl_domconfig_src *src, unsigned flags,
                         const char *what, const char *fate,
                         libxl_domain_config *dc);

/* Before a domain build (create, restore, migrate-receive): take xl.conf's
 * lockfile (default /var/lock/xl, the lock Debian's xl takes too), so that
 * two builds never race; with check_name, refuse a name already in use ("cannot
 * VERB domain 'NAME': ..."; that costs one xenstore read per domain, and libxl
 * refuses a duplicate anyway, so create checks only after a failure); balloon
 * dom0 down until the domain fits (xl.conf autoballoon: "on", "off", or "auto",
 * the default: not when the Xen command line fixes dom0_mem; a warning if it
 * cannot); forget the last hotplug script error (capture.h). Returns 0 with the
 * lock held, or 1 (message printed, lock released). xl_build_unlock()
 * releases it once libxl has built the domain. */
int xl_build_begin(const struct xl_conf *conf, libxl_domain_config *dc,
                   const char *verb, bool check_name);
void xl_build_unlock(void);

/* Is `name` held by a domain other than `except` (INVALID_DOMID: none)?
 * If so, print "cannot VERB domain 'NAME': a domain with this name
 * already exists (domid N)" and return true. One xenstore read per
 * running domain. */
bool xl_name_taken(const char *verb, const char *name, uint32_t except);

/* After a failed build: "cannot VERB domain 'NAME': hotplug script
 * failed: WORDS; FATE" with the script's own words if one failed since
 * xl_build_begin, else "cannot VERB domain 'NAME' (libxl error RC, see
 * the messages above); FATE". FATE says what became of the domain. */
void xl_build_failed(const char *verb, const char *name, int rc,
                     const char *fate);

/* What `xl create` asks of its first build. */
struct xl_build_opts {
    bool console; /* -c: the console client attaches before the unpause */
    bool paused;  /* -p: leave the domain paused */
};

/* create's build: a PV/PVH kernel from the kernel cache (its hash checked
 * beside the build; a stale entry costs one more build), the config text
 * stored with the domain (storedcfg.h), unpaused unless o->paused. Returns
 * 0 with *domid_r set, or 1 (message printed, nothing left behind). */
int xl_build_create(const struct xl_conf *conf, libxl_domain_config *dc,
                    const struct xl_build_opts *o, uint32_t *domid_r);

/* The monitor's rebuild of a restarting domain (created or restored):
 * create's build, unpaused, no console. */
int xl_build_rebuild(const struct xl_conf *conf, libxl_domain_config *dc,
                     uint32_t *domid_r);

#endif /* XL_BUILD_H */
