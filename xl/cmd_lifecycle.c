/* cmd_lifecycle.c: destroy, shutdown, reboot, pause, unpause, rename. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "xl.h"

/* One clear line for a libxl error code. */
static const char *libxl_strerror(int rc)
{
    switch (rc) {
    case ERROR_DOMAIN_NOTFOUND:
        return "the domain does not exist";
    case ERROR_NOPARAVIRT:
        return "the guest has no PV drivers";
    case ERROR_NOMEM:
        return "out of memory";
    case ERROR_INVAL:
        return "invalid argument";
    case ERROR_DOMAIN_DESTROYED:
        return "the domain is being destroyed";
    default:
        return "libxl error";
    }
}

/* Parse the single <Domain> operand every command here but rename takes. */
static int one_domain(int argc, char **argv, uint32_t *domid_r)
{
    if (argc - optind != 1)
        return xl_usage(xl_cmdname ? xl_cmdname : argv[0]);
    if (xl_ctx_init())
        return 1;
    return xl_find_domain(argv[optind], domid_r);
}

int main_destroy(int argc, char **argv)
{
    bool force = xl_force;
    uint32_t domid;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "f", NULL, 1, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'f':
            force = true;
            break;
        }
    }
    rc = one_domain(argc, argv, &domid);
    if (rc)
        return rc;
    /* Destroying dom0 kills the host unless a separate toolstack domain
     * runs us; the reference requires -f for it too. */
    if (domid == 0 && !force) {
        xl_err("destroy: refusing to destroy domain 0 (use -f if this is a "
               "separate toolstack domain)");
        return 1;
    }
    rc = libxl_domain_destroy(ctx, domid, NULL);
    if (rc) {
        xl_err("destroy: cannot destroy domain %u: %s (%d)", domid,
               libxl_strerror(rc), rc);
        return 1;
    }
    return 0;
}

static int pause_or_unpause(int argc, char **argv, bool pause)
{
    uint32_t domid;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    rc = one_domain(argc, argv, &domid);
    if (rc)
        return rc;
    rc = pause ? libxl_domain_pause(ctx, domid, NULL)
               : libxl_domain_unpause(ctx, domid, NULL);
    if (rc) {
        xl_err("%s: cannot %s domain %u: %s (%d)", pause ? "pause" : "unpause",
               pause ? "pause" : "unpause", domid, libxl_strerror(rc), rc);
        return 1;
    }
    return 0;
}

int main_pause(int argc, char **argv)
{
    return pause_or_unpause(argc, argv, true);
}

int main_unpause(int argc, char **argv)
{
    return pause_or_unpause(argc, argv, false);
}

int main_rename(int argc, char **argv)
{
    uint32_t domid, other;
    const char *newname;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind != 2)
        return xl_usage("rename");
    if (xl_ctx_init())
        return 1;
    newname = argv[optind + 1];
    if (!*newname) {
        xl_err("rename: the new name is empty");
        return 1;
    }
    if (xl_find_domain(argv[optind], &domid))
        return 1;
    if (!libxl_name_to_domid(ctx, newname, &other)) {
        if (other == domid)
            return 0; /* already called that */
        xl_err("rename: a domain named '%s' already exists (id %u)", newname,
               other);
        return 1;
    }
    rc = libxl_domain_rename(ctx, domid, NULL, newname);
    if (rc) {
        xl_err("rename: cannot rename domain %u to '%s': %s (%d)", domid,
               newname, libxl_strerror(rc), rc);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------ shutdown, reboot */

struct stop_target {
    uint32_t domid;
    libxl_evgen_domain_death *deathw; /* NULL: not waiting for it */
    bool done;
};

/* Ask one domain to shut down or reboot; with -F fall back to an ACPI
 * event when the guest has no PV control interface. Returns 0 or 1. */
static int stop_one(struct stop_target *t, size_t idx, bool reboot,
                    bool fallback, bool wait)
{
    const char *what = reboot ? "reboot" : "shutdown";
    int rc;

    if (wait) {
        /* Before the request, so the event cannot be missed. */
        rc = libxl_evenable_domain_death(ctx, t->domid, idx, &t->deathw);
        if (rc) {
            xl_err("%s: cannot watch domain %u: %s (%d)", what, t->domid,
                   libxl_strerror(rc), rc);
            return 1;
        }
    }
    fprintf(stderr, "%s domain %u\n", reboot ? "Rebooting" : "Shutting down",
            t->domid);
    rc = reboot ? libxl_domain_reboot(ctx, t->domid, NULL)
                : libxl_domain_shutdown(ctx, t->domid, NULL);
    if (rc == ERROR_NOPARAVIRT && fallback) {
        fprintf(stderr,
                "PV control interface not available: sending ACPI "
                "%s event\n",
                reboot ? "reset" : "power");
        rc = libxl_send_trigger(
            ctx, t->domid, reboot ? LIBXL_TRIGGER_RESET : LIBXL_TRIGGER_POWER,
            0, NULL);
    }
    if (rc && t->deathw) {
        libxl_evdisable_domain_death(ctx, t->deathw);
        t->deathw = NULL;
    }
    if (rc == ERROR_NOPARAVIRT) {
        xl_err("%s: domain %u has no PV control interface (no PV drivers "
               "yet?); use -F to send an ACPI %s event instead",
               what, t->domid, reboot ? "reset" : "power");
        return 1;
    }
    if (rc) {
        xl_err("%s: cannot %s domain %u: %s (%d)", what, what, t->domid,
               libxl_strerror(rc), rc);
        return 1;
    }
    return 0;
}

/* Wait until every watched target shut down (wait_level 1) or is gone
 * (wait_level 2: destroyed, backends torn down). */
static int wait_targets(struct stop_target *ts, size_t n, int wait_level)
{
    size_t pending = 0;
    int rc = 0;

    for (size_t i = 0; i < n; i++)
        if (ts[i].deathw)
            pending++;
        else
            ts[i].done = true;
    if (pending)
        fprintf(stderr, "Waiting for %zu domain%s\n", pending,
                pending > 1 ? "s" : "");
    while (pending) {
        libxl_event *ev = NULL;
        struct stop_target *t;

        rc = libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL);
        if (rc) {
            xl_err("cannot wait for domain events (%d)", rc);
            return 1;
        }
        if (ev->for_user >= n || ts[ev->for_user].done) {
            libxl_event_free(ctx, ev);
            continue;
        }
        t = &ts[ev->for_user];
        if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
            fprintf(stderr, "Domain %u has been destroyed\n", t->domid);
            t->done = true;
        } else if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) {
            int reason = ev->u.domain_shutdown.shutdown_reason;
            const char *r =
                libxl_shutdown_reason_to_string((libxl_shutdown_reason)reason);

            fprintf(stderr, "Domain %u has been shut down, reason %s\n",
                    t->domid, r ? r : "unknown");
            t->done = wait_level < 2;
        }
        libxl_event_free(ctx, ev);
        if (t->done) {
            libxl_evdisable_domain_death(ctx, t->deathw);
            t->deathw = NULL;
            pending--;
        }
    }
    return 0;
}

static int shutdown_or_reboot(int argc, char **argv, bool reboot)
{
    static const struct option opts[] = {
        {"all", no_argument, NULL, 'a'},
        {"wait", no_argument, NULL, 'w'},
        {NULL, 0, NULL, 0},
    };
    const char *name = reboot ? "reboot" : "shutdown";
    struct stop_target *ts = NULL;
    libxl_dominfo *doms = NULL;
    bool all = false, fallback = false;
    int opt, rc = 0, wait_level = 0, ndoms = 0;
    size_t n = 0;

    while ((opt = xl_getopt(argc, argv, "awF", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'a':
            all = true;
            break;
        case 'w':
            wait_level++;
            break;
        case 'F':
            fallback = true;
            break;
        }
    }
    if (reboot && wait_level > 1)
        wait_level = 1; /* a rebooted domain comes back: no "gone" */
    if (all ? optind != argc : argc - optind != 1)
        return xl_usage(name);
    if (xl_ctx_init())
        return 1;

    if (all) {
        doms = libxl_list_domain(ctx, &ndoms);
        if (!doms) {
            xl_err("%s: cannot list domains", name);
            return 1;
        }
        ts = calloc((size_t)ndoms + 1, sizeof(*ts));
        if (!ts)
            goto nomem;
        for (int i = 0; i < ndoms; i++)
            if (doms[i].domid != 0 && !doms[i].never_stop)
                ts[n++].domid = doms[i].domid;
    } else {
        ts = calloc(1, sizeof(*ts));
        if (!ts)
            goto nomem;
        if (xl_find_domain(argv[optind], &ts[0].domid)) {
            rc = 1;
            goto out;
        }
        n = 1;
    }

    for (size_t i = 0; i < n; i++)
        if (stop_one(&ts[i], i, reboot, fallback, wait_level > 0))
            rc = 1;
    if (wait_level && wait_targets(ts, n, wait_level))
        rc = 1;
    goto out;
nomem:
    xl_err("out of memory");
    rc = 1;
out:
    for (size_t i = 0; ts && i < n; i++)
        if (ts[i].deathw)
            libxl_evdisable_domain_death(ctx, ts[i].deathw);
    free(ts);
    if (doms)
        libxl_dominfo_list_free(doms, ndoms);
    return rc;
}

int main_shutdown(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, false);
}

int main_reboot(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, true);
}
