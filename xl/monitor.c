/* monitor.c: the per-domain process that applies on_poweroff/reboot/crash. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "build.h"
#include "ctx.h"
#include "storedcfg.h"
#include "monitor.h"
#include "translate.h"
#include "xl.h"

#define XL_LOG_DIR "/var/log/xen"
#define XL_DUMP_DIR "/var/lib/xen/dump"

typedef enum xl_monitor_result {
    XL_MONITOR_DONE,    /* domain gone (or kept by preserve): exit */
    XL_MONITOR_RESTART, /* create the domain again from *dc */
    XL_MONITOR_SOFT_RESET,
    XL_MONITOR_FAILED, /* could not watch the domain */
} xl_monitor_result;

static void mlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mlog(const char *fmt, ...)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    va_list ap;

    if (localtime_r(&now, &tm) &&
        strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm))
        fprintf(stderr, "%s xl[%ld]: ", stamp, (long)getpid());
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* Detach from the terminal as "xl-<name>": returns 1 in the parent, 0 in
 * the daemon, -1 on failure (message printed). */
static int daemonize(const char *name)
{
    char *logpath = NULL;
    int logfd = -1, nullfd = -1, status, rc = -1;
    pid_t pid;

    mkdir(XL_LOG_DIR, 0755);
    if (asprintf(&logpath, XL_LOG_DIR "/xl-%s.log", name) < 0)
        return -1;
    logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logfd < 0) {
        fprintf(stderr, "xl: cannot open %s: %s\n", logpath, strerror(errno));
        goto out;
    }
    nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nullfd < 0)
        goto out;
    fflush(stdout);
    fflush(stderr);
    /* Fork twice so that the monitor is reparented to init and the
     * user's xl can return as soon as the middle child exits. */
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "xl: fork: %s\n", strerror(errno));
        goto out;
    }
    if (pid > 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        rc = WIFEXITED(status) && !WEXITSTATUS(status) ? 1 : -1;
        if (rc < 0)
            fprintf(stderr, "xl: could not start the domain monitor\n");
        goto out;
    }
    if (setsid() < 0)
        _exit(1);
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    if (chdir("/") || dup2(nullfd, 0) < 0 || dup2(logfd, 1) < 0 ||
        dup2(logfd, 2) < 0)
        _exit(1);
    rc = 0;
out:
    if (logfd >= 0)
        close(logfd);
    if (nullfd >= 0)
        close(nullfd);
    free(logpath);
    return rc;
}

/* Reload the config libxl stored, so a restart keeps runtime changes
 * (mem-set, block-attach...) as the reference does. */
static void reload_config(const struct xl_conf *conf, uint32_t domid,
                          libxl_domain_config *dc)
{
    libxl_domain_config fresh;
    char *why = NULL;
    int rc;

    /* A config stored by config-update or boot-policy wins, as in the
     * reference's monitor. */
    rc = xl_storedcfg_apply_pending(ctx, conf, domid, dc, &why);
    if (!rc) {
        mlog("restarting with the configuration stored for the next boot");
        return;
    }
    if (rc != ENOENT)
        mlog("ignoring the configuration stored for the next boot: %s",
             why ? why : strerror(rc));
    free(why);
    libxl_domain_config_init(&fresh);
    rc = libxl_retrieve_domain_configuration(ctx, domid, &fresh, NULL);
    if (rc) {
        mlog("cannot retrieve the stored configuration (rc=%d); "
             "restarting with the original one",
             rc);
        libxl_domain_config_dispose(&fresh);
        return;
    }
    libxl_domain_config_dispose(dc);
    memcpy(dc, &fresh, sizeof(fresh));
}

/* Keep the dead domain under "<name>-<UTC time>" with a fresh uuid. */
static int preserve(uint32_t domid, libxl_domain_config *dc)
{
    char suffix[24];
    time_t now = time(NULL);
    struct tm tm;
    libxl_uuid uuid;

    if (!gmtime_r(&now, &tm) ||
        !strftime(suffix, sizeof(suffix), "-%Y%m%dT%H%MZ", &tm))
        return -1;
    libxl_uuid_generate(&uuid);
    mlog("preserving domain %u as %s%s", domid, dc->c_info.name, suffix);
    return libxl_domain_preserve(ctx, domid, &dc->c_info, suffix, uuid);
}

static xl_monitor_result apply(const struct xl_conf *conf, uint32_t *domid_r,
                               libxl_domain_config *dc, int reason)
{
    libxl_action_on_shutdown action;

    switch (reason) {
    case LIBXL_SHUTDOWN_REASON_POWEROFF:
        action = dc->on_poweroff;
        break;
    case LIBXL_SHUTDOWN_REASON_REBOOT:
        action = dc->on_reboot;
        break;
    case LIBXL_SHUTDOWN_REASON_CRASH:
        action = dc->on_crash;
        break;
    case LIBXL_SHUTDOWN_REASON_WATCHDOG:
        action = dc->on_watchdog;
        break;
    case LIBXL_SHUTDOWN_REASON_SOFT_RESET:
        action = dc->on_soft_reset;
        break;
    case LIBXL_SHUTDOWN_REASON_SUSPEND:
        mlog("domain %u has suspended", *domid_r);
        return XL_MONITOR_DONE;
    default:
        mlog("unknown shutdown reason %d: destroying", reason);
        action = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    }
    mlog("domain %u shut down (reason %d): action %s", *domid_r, reason,
         xl_action_to_string(action));

    if (action == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY ||
        action == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART) {
        char *core = NULL;

        mkdir(XL_DUMP_DIR, 0700);
        if (asprintf(&core, XL_DUMP_DIR "/%s", dc->c_info.name) >= 0) {
            mlog("dumping core to %s", core);
            if (libxl_domain_core_dump(ctx, *domid_r, core, NULL))
                mlog("core dump failed");
            free(core);
        }
        action = action == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY
                     ? LIBXL_ACTION_ON_SHUTDOWN_DESTROY
                     : LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    }

    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        return XL_MONITOR_DONE;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        reload_config(conf, *domid_r, dc);
        if (preserve(*domid_r, dc)) {
            mlog("cannot rename the old domain: leaving it, not restarting");
            return XL_MONITOR_FAILED;
        }
        *domid_r = INVALID_DOMID;
        return XL_MONITOR_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
        reload_config(conf, *domid_r, dc);
        return XL_MONITOR_SOFT_RESET;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        reload_config(conf, *domid_r, dc);
        mlog("destroying domain %u before restarting it", *domid_r);
        libxl_domain_destroy(ctx, *domid_r, NULL);
        *domid_r = INVALID_DOMID;
        return XL_MONITOR_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY:
    default:
        mlog("destroying domain %u", *domid_r);
        libxl_domain_destroy(ctx, *domid_r, NULL);
        *domid_r = INVALID_DOMID;
        return XL_MONITOR_DONE;
    }
}

/* Wait until domain *domid_r shuts down or dies and apply its action;
 * *domid_r becomes INVALID_DOMID once the domain is no longer ours. */
static xl_monitor_result wait_and_apply(const struct xl_conf *conf,
                                        uint32_t *domid_r,
                                        libxl_domain_config *dc)
{
    libxl_evgen_domain_death *deathw = NULL;
    xl_monitor_result res = XL_MONITOR_FAILED;
    libxl_event *ev;
    int rc;

    mlog("waiting for domain %s (domid %u) to die", dc->c_info.name, *domid_r);
    rc = libxl_evenable_domain_death(ctx, *domid_r, 0, &deathw);
    if (rc) {
        mlog("cannot watch domain %u (rc=%d)", *domid_r, rc);
        return XL_MONITOR_FAILED;
    }
    for (;;) {
        rc = libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL);
        if (rc) {
            mlog("waiting for events failed (rc=%d)", rc);
            break;
        }
        if (ev->domid != *domid_r) {
            libxl_event_free(ctx, ev);
            continue;
        }
        if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) {
            res =
                apply(conf, domid_r, dc, ev->u.domain_shutdown.shutdown_reason);
            libxl_event_free(ctx, ev);
            break;
        }
        if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
            mlog("domain %u has been destroyed", *domid_r);
            *domid_r = INVALID_DOMID;
            libxl_event_free(ctx, ev);
            res = XL_MONITOR_DONE;
            break;
        }
        libxl_event_free(ctx, ev);
    }
    libxl_evdisable_domain_death(ctx, deathw);
    /* Drop events queued for the old domain before a restart. */
    while (!libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL))
        libxl_event_free(ctx, ev);
    return res;
}

static void wait_console(pid_t console)
{
    if (console > 0)
        while (waitpid(console, NULL, 0) < 0 && errno == EINTR)
            ;
}

int xl_monitor_run(const struct xl_conf *conf, uint32_t domid,
                   libxl_domain_config *dc, xl_monitor_mode mode, pid_t console)
{
    xl_monitor_result res;
    int rc = 0;

    if (mode == XL_MONITOR_DAEMON) {
        rc = daemonize(dc->c_info.name);
        if (rc < 0) {
            xl_err("domain %u runs without a monitor: its on_poweroff, "
                   "on_reboot and on_crash actions will not apply",
                   domid);
            return 1;
        }
        if (rc == 1) {
            /* The user's process: stay with the console, if any. */
            wait_console(console);
            return 0;
        }
        console = -1; /* the user's process's child, not ours */
        if (xl_ctx_after_fork())
            _exit(1);
    }
    while (mode != XL_MONITOR_NONE) {
        res = wait_and_apply(conf, &domid, dc);
        if (res == XL_MONITOR_SOFT_RESET) {
            rc = libxl_domain_soft_reset(ctx, dc, domid, NULL, NULL);
            if (!rc)
                rc = libxl_domain_unpause(ctx, domid, NULL);
            if (rc) {
                mlog("soft reset of domain %u failed (rc=%d)", domid, rc);
                rc = 1;
                break;
            }
            continue;
        }
        if (res != XL_MONITOR_RESTART)
            break;
        sleep(2); /* as the reference: backends of the old one must go */
        rc = xl_build_rebuild(conf, dc, &domid);
        if (rc)
            break;
    }
    if (mode == XL_MONITOR_DAEMON) {
        xl_ctx_free();
        _exit(rc);
    }
    wait_console(console);
    return rc;
}
