/* cmd_block.c: block-attach, block-list, block-detach; libxl message capture.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devspec.h"
#include "xl.h"

/*
 * libxl reports a failed hotplug script as several log lines, one of them
 * "...: script: REASON" (REASON is the script's hotplug-error). While a
 * capture is active, libxl's error lines are held back and REASON kept, so
 * a command can print one message with the script's own words; with -v
 * everything is passed through as well.
 */
static struct {
    xentoollog_logger *lg;
    void (*saved)(struct xentoollog_logger *, xentoollog_level, int,
                  const char *, const char *, va_list);
    char *reason;
    char *held; /* libxl's held-back error lines */
    size_t held_len;
} cap;

static void hold(const char *line)
{
    size_t n = strlen(line);
    char *p = realloc(cap.held, cap.held_len + n + 2);

    if (!p)
        return; /* losing a log line is better than failing the command */
    memcpy(p + cap.held_len, line, n);
    p[cap.held_len + n] = '\n';
    p[cap.held_len + n + 1] = '\0';
    cap.held = p;
    cap.held_len += n + 1;
}

static void capture_vmessage(struct xentoollog_logger *lg,
                             xentoollog_level level, int errnoval,
                             const char *context, const char *format,
                             va_list al) __attribute__((format(printf, 5, 0)));

static void capture_vmessage(struct xentoollog_logger *lg,
                             xentoollog_level level, int errnoval,
                             const char *context, const char *format,
                             va_list al)
{
    char *msg = NULL, *line = NULL;
    const char *p;
    va_list copy;
    int held = 0;

    va_copy(copy, al);
    if (vasprintf(&msg, format, copy) < 0)
        msg = NULL;
    va_end(copy);
    if (msg) {
        /* the first script error is the cause; later ones (the cleanup
         * of the failed device) are consequences */
        p = strstr(msg, ": script: ");
        if (p && !cap.reason)
            cap.reason = strdup(p + strlen(": script: "));
        if (level >= XTL_ERROR && xl_verbose == 0 &&
            asprintf(&line, "%s: %s: %s", context ? context : "libxl",
                     xtl_level_to_string(level), msg) >= 0) {
            hold(line);
            held = 1;
        }
    }
    free(line);
    free(msg);
    if (!held)
        cap.saved(lg, level, errnoval, context, format, al);
}

void xl_libxl_capture_begin(void)
{
    if (!xl_logger || cap.lg)
        return;
    /* The stdio logger starts with the generic vtable, as libxl's own
     * callers rely on when they pass it as a xentoollog_logger. */
    cap.lg = (xentoollog_logger *)xl_logger;
    cap.saved = cap.lg->vmessage;
    cap.lg->vmessage = capture_vmessage;
}

char *xl_libxl_capture_end(bool show_held)
{
    char *reason = cap.reason;

    if (!cap.lg)
        return NULL;
    cap.lg->vmessage = cap.saved;
    /* Without a script's reason, libxl's own lines are the explanation. */
    if (show_held && !reason && cap.held)
        fputs(cap.held, stderr);
    free(cap.held);
    memset(&cap, 0, sizeof(cap));
    return reason;
}

void xl_device_failed(const char *what)
{
    char *reason = xl_libxl_capture_end(true);

    if (reason)
        xl_err("%s: %s: hotplug script failed: %s (details in "
               "/var/log/xen/xen-hotplug.log)",
               xl_cmdname, what, reason);
    else
        xl_err("%s: %s", xl_cmdname, what);
    free(reason);
}

/* Print the spec diagnostics (errors and warnings) in compiler style. */
int main_block_attach(int argc, char **argv)
{
    libxl_device_disk disk;
    xlcfg_diags *d = NULL;
    xlcfg_loc loc = {"<command line>", 1, 1, NULL};
    char *spec = NULL, *what = NULL;
    uint32_t domid = 0;
    int opt, rc = 1, err;

    libxl_device_disk_init(&disk);
    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    rc = 1;
    d = xlcfg_diags_new();
    if (!d) {
        xl_err("out of memory");
        goto out;
    }
    /* One string, so that diagnostics can point into it. */
    spec = xl_join_args(argc - optind - 1, argv + optind + 1);
    if (!spec) {
        xl_err("out of memory");
        goto out;
    }
    loc.source_line = spec;
    err = xl_disk_from_spec(spec, &loc, &disk, d);
    if (err) {
        xl_print_diags(d);
        if (err == ENOMEM)
            xl_err("out of memory");
        goto out;
    }
    xl_print_diags(d); /* warnings */

    if (xl_dryrun) {
        char *json = libxl_device_disk_to_json(ctx, &disk);

        if (!json) {
            xl_err("%s: cannot render the disk as JSON", xl_cmdname);
            goto out;
        }
        printf("disk: %s\n", json);
        free(json);
        rc = 0;
        goto out;
    }

    if (xl_find_domain(argv[optind], &domid))
        goto out;
    if (asprintf(&what, "cannot attach %s to domain %u", disk.vdev, domid) < 0)
        what = NULL;
    xl_libxl_capture_begin();
    if (libxl_device_disk_add(ctx, domid, &disk, NULL)) {
        /* libxl leaves the half-made backend in xenstore: take it away
         * (while libxl's messages are still captured) */
        libxl_device_disk_destroy(ctx, domid, &disk, NULL);
        xl_device_failed(what ? what : "cannot attach the disk");
        goto out;
    }
    free(xl_libxl_capture_end(false));
    rc = 0;
out:
    free(what);
    free(spec);
    libxl_device_disk_dispose(&disk);
    xlcfg_diags_free(d);
    return rc;
}

int main_block_list(int argc, char **argv)
{
    libxl_device_disk *disks;
    libxl_diskinfo info;
    uint32_t domid;
    int opt, rc = 1, nb, i;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    rc = 0;
    /* Columns exactly as the reference (its "handle" is the frontend's
     * domain id), so scripts that parse them keep working. */
    printf("%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE", "handle",
           "state", "evt-ch", "ring-ref", "BE-path");
    for (i = optind; i < argc; i++) {
        int n, j;

        if (xl_find_domain(argv[i], &domid)) {
            rc = 1;
            continue;
        }
        disks = libxl_device_disk_list(ctx, domid, &n);
        nb = disks ? n : 0;
        for (j = 0; j < nb; j++) {
            libxl_diskinfo_init(&info);
            if (!libxl_device_disk_getinfo(ctx, domid, &disks[j], &info)) {
                printf("%-5d %-3u %-6u %-5d %-6d %-8d %-30s\n", info.devid,
                       info.backend_id, info.frontend_id, info.state,
                       info.evtch, info.rref, info.backend);
            }
            libxl_diskinfo_dispose(&info);
        }
        if (disks)
            libxl_device_disk_list_free(disks, nb);
    }
    return rc;
}

int main_block_detach(int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    libxl_device_disk disk;
    uint32_t domid;
    bool force = false;
    char *what = NULL;
    int opt, rc = 1, err;

    libxl_device_disk_init(&disk);
    while ((opt = xl_getopt(argc, argv, "f", opts, 2, &rc)) != -1) {
        if (opt == XL_OPT_EXIT)
            return rc;
        if (opt == 'f')
            force = true;
    }
    if (argc - optind != 2)
        return xl_usage(xl_cmdname);
    rc = 1;
    if (xl_find_domain(argv[optind], &domid))
        goto out;
    if (libxl_vdev_to_device_disk(ctx, domid, argv[optind + 1], &disk)) {
        xl_err("%s: domain %u has no disk '%s' (give its vdev, e.g. xvdb, "
               "or its devid from block-list)",
               xl_cmdname, domid, argv[optind + 1]);
        goto out;
    }
    if (asprintf(&what, "cannot detach %s from domain %u", argv[optind + 1],
                 domid) < 0)
        what = NULL;
    xl_libxl_capture_begin();
    /* -f: tear the backend down without waiting for the guest. */
    err = force ? libxl_device_disk_destroy(ctx, domid, &disk, NULL)
                : libxl_device_disk_remove(ctx, domid, &disk, NULL);
    if (err) {
        xl_device_failed(what ? what : "cannot detach the disk");
        if (!force)
            fprintf(stderr,
                    "xl: %s: if the guest does not release it, "
                    "block-detach -f forces the removal\n",
                    xl_cmdname);
        goto out;
    }
    free(xl_libxl_capture_end(false));
    rc = 0;
out:
    free(what);
    libxl_device_disk_dispose(&disk);
    return rc;
}
