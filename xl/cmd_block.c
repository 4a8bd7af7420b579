/* cmd_block.c: block-attach, block-list, block-detach. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "capture.h"
#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "devmap.h"
#include "xl.h"

int main_block_attach(int argc, char **argv)
{
    libxl_device_disk disk;
    xlcfg_diags *d = NULL;
    xlcfg_loc loc = {"<command line>", 1, 1, NULL};
    char *what = NULL;
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
    /* Each argument on its own, as the reference scans them. */
    err =
        xl_disk_from_args(argc - optind - 1, argv + optind + 1, &loc, &disk, d);
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
    xl_capture_hold();
    if (libxl_device_disk_add(ctx, domid, &disk, NULL)) {
        /* libxl leaves the half-made backend in xenstore: take it away
         * (while libxl's messages are still captured) */
        libxl_device_disk_destroy(ctx, domid, &disk, NULL);
        xl_device_failed(what ? what : "cannot attach the disk");
        goto out;
    }
    free(xl_capture_release(false));
    rc = 0;
out:
    free(what);
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
    if (xl_ctx_init())
        return 1;
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
    if (xl_ctx_init())
        return 1;
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
    xl_capture_hold();
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
    free(xl_capture_release(false));
    rc = 0;
out:
    free(what);
    libxl_device_disk_dispose(&disk);
    return rc;
}
