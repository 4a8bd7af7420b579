/*
 * kcache.h: the kernel cache's hooks into `xl create` and the xl.conf
 * options, over libxl (the cache itself: klookup.h, kstore.h, kunpack.h).
 *
 * For PV and PVH guests with a kernel and no bootloader, create hands
 * libxl the cached unpacked ELF instead of the user's compressed kernel,
 * and puts the user's path back into the config libxl stores.
 */
#ifndef XL_KCACHE_H
#define XL_KCACHE_H

#include <stdint.h>

#include <libxl.h>

#include "klookup.h"

struct xl_conf;

/* The cache's options from xl.conf's kernel_cache, kernel_cache_dir and
 * kernel_cache_max_mb (xlconf.h) on top of the defaults; o->dir borrows
 * conf's string. */
void xl_kcache_opts_from_conf(struct xl_kcache_opts *o,
                              const struct xl_conf *conf);

/* What xl create remembers across restarts of one domain: the user's
 * kernel path and the cache entry handed to libxl in its place. */
struct xl_kcache_state {
    char *orig;
    char *cached;
};

/* Call before each libxl_domain_create_new() of a domain (first create
 * and every restart by the monitor, with the same zero-initialised
 * state). For PV and PVH guests with a kernel and no bootloader, swaps
 * dc->b_info.kernel for the cached unpacked ELF (options from xl.conf
 * `conf`; notes go to stderr with -v). A kernel path that is the entry handed
 * out last time (libxl stored it in the domain's config) is first mapped back
 * to the user's kernel, so a restart re-checks the original. Never fails:
 * the kernel is left as it is when the cache cannot help. With check_r,
 * a hit may come with a hash still running (xl_kcache_get_deferred): the
 * caller finishes it (xl_kcache_check_finish) before unpausing the
 * domain. */
void xl_kcache_prepare(libxl_domain_config *dc, const struct xl_conf *conf,
                       struct xl_kcache_state *st,
                       struct xl_kcache_check **check_r);

/* Call after libxl_domain_create_new() succeeded: libxl stored the config
 * it was given, with the cache entry as kernel; put the user's kernel path
 * back (through libxl_userdata_store, under libxl's userdata lock), so
 * `xl list -l`, save/migrate and a restart on another host see the real
 * kernel as with Xen's xl. Best effort: a failure only costs a -v note. */
void xl_kcache_after_create(libxl_ctx *c, uint32_t domid,
                            const struct xl_kcache_state *st);

#endif /* XL_KCACHE_H */
