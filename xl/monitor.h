/* monitor.h: the per-domain process that applies on_poweroff/reboot/crash. */
#ifndef XL_MONITOR_H
#define XL_MONITOR_H

#include <stdint.h>
#include <sys/types.h>

#include <libxl.h>

struct xl_conf;

typedef enum xl_monitor_mode {
    XL_MONITOR_NONE,       /* -e: nothing applies the on_* actions */
    XL_MONITOR_FOREGROUND, /* -F: this process watches the domain */
    XL_MONITOR_DAEMON,     /* a daemon "xl-NAME" watches it */
} xl_monitor_mode;

/*
 * The monitor of domain `domid`, built from *dc by the caller (create,
 * restore, migrate-receive): wait until it shuts down or dies and apply
 * the action its config asks for: destroy, preserve, restart (the domain
 * is destroyed, *dc reloaded from the config stored for its next boot
 * (run through the pipeline with xl.conf `conf`) or libxl's stored
 * config, and built again by xl_build_rebuild), rename-restart (the old
 * one is kept under a "-<time>" name), coredump-* and soft-reset; again
 * until the domain is gone.
 *
 * XL_MONITOR_DAEMON detaches as "xl-NAME" (stdin /dev/null, stdout and
 * stderr to /var/log/xen/xl-NAME.log, a new ctx with the same logger):
 * the daemon never returns, the user's process returns at once.
 * `console` (-1: none) is the user's console client, a child of this
 * process: it is waited for before returning in the user's process.
 * Returns 0, or 1 when the monitor could not start, or (foreground) a
 * restart or soft reset failed; messages printed.
 */
int xl_monitor_run(const struct xl_conf *conf, uint32_t domid,
                   libxl_domain_config *dc, xl_monitor_mode mode,
                   pid_t console);

#endif /* XL_MONITOR_H */
