/* build.c: building a domain: lock, ballooning, kernel cache, rebuild. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "build.h"
#include "capture.h"
#include "console.h"
#include "ctx.h"
#include "domconfig.h"
#include "kcache.h"
#include "storedcfg.h"
#include "xl.h"
#include "xlconf.h"

static int lock_fd = -1;

/* The same lock as Debian's xl, so creates from both never race. */
static int build_lock(const struct xl_conf *conf)
{
    const char *path = conf->lockfile ? conf->lockfile : XL_LOCKFILE_DEFAULT;

    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

    lock_fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) {
        xl_err("cannot open lock %s: %s", path, strerror(errno));
        return 1;
    }
    while (fcntl(lock_fd, F_SETLKW, &fl) < 0) {
        if (errno != EINTR) {
            xl_err("cannot lock %s: %s", path, strerror(errno));
            close(lock_fd);
            lock_fd = -1;
            return 1;
        }
    }
    return 0;
}

/* Balloon dom0 down if the new domain does not fit (autoballoon). */
static int free_memory(const struct xl_conf *conf, libxl_domain_config *dc)
{
    const libxl_version_info *vi;
    uint64_t need, freekb;

    if (conf->autoballoon == XL_AUTOBALLOON_OFF)
        return 0;
    /* "auto" (the default): balloon unless dom0_mem fixes dom0's size. */
    vi = libxl_get_version_info(ctx);
    if (conf->autoballoon == XL_AUTOBALLOON_AUTO && vi && vi->commandline &&
        strstr(vi->commandline, "dom0_mem="))
        return 0;
    if (libxl_domain_need_memory(ctx, dc, INVALID_DOMID, &need))
        return 1;
    for (int tries = 3; tries > 0; tries--) {
        if (libxl_get_free_memory(ctx, &freekb))
            return 1;
        if (freekb >= need)
            return 0;
        if (libxl_set_memory_target(ctx, 0, (int64_t)freekb - (int64_t)need, 1,
                                    0) ||
            libxl_wait_for_memory_target(ctx, 0, 10))
            return 1;
    }
    return 1;
}

void xl_build_unlock(void)
{
    if (lock_fd >= 0)
        close(lock_fd); /* closing drops the fcntl lock */
    lock_fd = -1;
}

bool xl_name_taken(const char *verb, const char *name, uint32_t except)
{
    uint32_t other;

    if (libxl_name_to_domid(ctx, name, &other) || other == except)
        return false;
    xl_err("cannot %s domain '%s': a domain with this name already exists "
           "(domid %u)",
           verb, name, other);
    return true;
}

int xl_build_begin(const struct xl_conf *conf, libxl_domain_config *dc,
                   const char *verb, bool check_name)
{
    if (build_lock(conf))
        return 1;
    xl_capture_reset(); /* a script error is this build's only */
    /* libxl also refuses a duplicate name, but only after starting to
     * build; checking under the lock gives one clear message. */
    if (check_name && xl_name_taken(verb, dc->c_info.name, INVALID_DOMID)) {
        xl_build_unlock();
        return 1;
    }
    /* domid_policy, for a domain that does not ask for an id itself */
    if (!libxl_domid_valid_guest(dc->c_info.domid))
        dc->c_info.domid = conf->domid_random ? RANDOM_DOMID : INVALID_DOMID;
    if (free_memory(conf, dc))
        xl_err("warning: could not free enough memory for '%s'; trying "
               "anyway",
               dc->c_info.name);
    return 0;
}

void xl_build_failed(const char *verb, const char *name, int rc,
                     const char *fate)
{
    const char *words = xl_capture_script_error();

    if (words)
        xl_err("cannot %s domain '%s': hotplug script failed: %s; %s", verb,
               name, words, fate);
    else
        xl_err("cannot %s domain '%s' (libxl error %d, see the messages "
               "above); %s",
               verb, name, rc, fate);
}

int xl_build_load_config(const struct xl_conf *conf,
                         const struct xl_domconfig_src *src, unsigned flags,
                         const char *what, const char *fate,
                         libxl_domain_config *dc)
{
    struct xl_domconfig r;
    int rc = 1, e;

    xl_domconfig_init(&r);
    e = xl_domconfig_load(ctx, conf, src, flags, &r);
    xl_print_diags(r.diags);
    if (e == EINVAL)
        xl_err("%s: the configuration has errors%s", what, fate);
    if (e == ENOMEM || (!e && xl_storedcfg_set_current(r.text, r.len)))
        xl_err("out of memory");
    else if (!e && (e = xl_tr_env_apply(&r.env)))
        xl_err("cannot set the bootloader's environment: %s", strerror(e));
    else if (!e) {
        memcpy(dc, &r.dc, sizeof(*dc));
        libxl_domain_config_init(&r.dc);
        rc = 0;
    }
    xl_domconfig_dispose(&r);
    return rc;
}

/* ------------------------------------------------------------------------
 * create's build, and the monitor's rebuild on restart
 */

/* Why did the build fail? A name in use (libxl refuses it; create does
 * not look the name up beforehand, which costs one xenstore read per
 * running domain), else the hotplug script's own words if we saw them. */
static void report_failure(const char *name, uint32_t failed, int rc)
{
    if (!xl_name_taken("create", name, failed))
        xl_build_failed("create", name, rc, "the domain was destroyed");
}

/* Kernel cache: which entry this domain was handed (see xl/kcache.h). */
static struct xl_kcache_state kcache_state;

/* One build. Returns 0 with *domid_r set, 1 with a message printed and
 * nothing left behind, or 2 when the kernel cache entry it was handed
 * turned out stale (nothing left behind either; build again without
 * `fast`). */
static int build_once(const struct xl_conf *conf, const struct xl_build_opts *o,
                      libxl_domain_config *dc, bool fast, uint32_t *domid_r)
{
    libxl_asyncprogress_how console_how;
    bool with_console = o->console;
    struct xl_kcache_check *check = NULL;
    uint32_t domid = INVALID_DOMID;
    char *why = NULL;
    int rc;

    /* PV/PVH: hand libxl the cached unpacked kernel (outside the lock).
     * With `fast`, a known kernel's hash runs beside the build. */
    xl_kcache_prepare(dc, conf, &kcache_state, fast ? &check : NULL);
    if (xl_build_begin(conf, dc, "create", false)) {
        xl_kcache_check_finish(check, NULL);
        return 1;
    }
    if (with_console && xl_console_client_prepare(ctx, &console_how)) {
        xl_build_unlock();
        xl_kcache_check_finish(check, NULL);
        return 1;
    }
    rc = libxl_domain_create_new(ctx, dc, &domid, NULL,
                                 with_console ? &console_how : NULL);
    xl_build_unlock();
    if (rc) {
        xl_kcache_check_finish(check, NULL);
        if (libxl_domid_valid_guest(domid))
            libxl_domain_destroy(ctx, domid, NULL);
        report_failure(dc->c_info.name, domid, rc);
        if (with_console)
            xl_console_client_abandon();
        return 1;
    }
    /* The domain is paused: it runs only a kernel whose hash matched. */
    if (xl_kcache_check_finish(check, &why)) {
        xl_err("warning: kernel cache: %s; building domain '%s' again",
               why ? why : "the kernel changed on disk", dc->c_info.name);
        free(why);
        libxl_domain_destroy(ctx, domid, NULL);
        if (with_console)
            xl_console_client_abandon();
        return 2;
    }
    xl_kcache_after_create(ctx, domid, &kcache_state);
    if (xl_storedcfg_store_current(ctx, domid))
        xl_err("warning: cannot keep the config text of domain %u: "
               "`xl boot-policy %s` will not work",
               domid, dc->c_info.name);
    if (with_console)
        xl_console_client_attached();
    if (!o->paused && libxl_domain_unpause(ctx, domid, NULL)) {
        xl_err("cannot unpause domain %u; destroying it", domid);
        libxl_domain_destroy(ctx, domid, NULL);
        return 1;
    }
    *domid_r = domid;
    return 0;
}

/* A stale kernel cache hit costs one more build, hashing first. */
int xl_build_create(const struct xl_conf *conf, libxl_domain_config *dc,
                    const struct xl_build_opts *o, uint32_t *domid_r)
{
    int rc;

    rc = build_once(conf, o, dc, true, domid_r);
    return rc == 2 ? build_once(conf, o, dc, false, domid_r) : rc;
}

int xl_build_rebuild(const struct xl_conf *conf, libxl_domain_config *dc,
                     uint32_t *domid_r)
{
    /* -c and -p apply to the first build only. */
    static const struct xl_build_opts rebuild_opts;

    return xl_build_create(conf, dc, &rebuild_opts, domid_r);
}
