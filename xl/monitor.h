/* monitor.h: the per-domain process that applies on_poweroff/reboot/crash. */
#ifndef XL_MONITOR_H
#define XL_MONITOR_H

#include <stdint.h>

#include <libxl.h>

typedef enum xl_monitor_result {
    XL_MONITOR_DONE,    /* domain gone (or kept by preserve): exit */
    XL_MONITOR_RESTART, /* create the domain again from *dc */
    XL_MONITOR_SOFT_RESET,
    XL_MONITOR_FAILED, /* could not watch the domain */
} xl_monitor_result;

/*
 * Wait until domain *domid_r shuts down or dies, and apply the action the
 * config asks for: destroy, preserve, restart (the domain is destroyed and
 * *dc reloaded from libxl's stored config so the caller re-creates it),
 * rename-restart (the old one is kept under a "-<time>" name), coredump-*
 * and soft-reset. *domid_r becomes INVALID_DOMID once the domain is no
 * longer ours. Progress goes to stderr (the log file once daemonised).
 */
xl_monitor_result xl_monitor_wait(libxl_ctx *ctx, uint32_t *domid_r,
                                  libxl_domain_config *dc);

/*
 * Detach from the terminal as "xl-<name>": returns 1 in the parent (which
 * should then return success to the user), 0 in the daemon (stdin is
 * /dev/null, stdout/stderr go to /var/log/xen/xl-<name>.log), -1 on
 * failure (message printed). The caller's libxl ctx must be reallocated
 * in the daemon (libxl_postfork_child_noexec + new ctx).
 */
int xl_monitor_daemonize(const char *name);

#endif /* XL_MONITOR_H */
