/* cmd_network.c: network-attach, network-list, network-detach. */
#include <errno.h>
#include <limits.h>
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

int main_network_attach(int argc, char **argv)
{
    libxl_device_nic nic;
    struct xl_conf conf;
    xlcfg_diags *d = NULL;
    xlcfg_loc loc = {"<command line>", 1, 1, NULL};
    char *what = NULL;
    uint32_t domid = 0;
    int opt, rc = 1, err;

    libxl_device_nic_init(&nic);
    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    /* xl.conf's vif.default.* apply here as in a config file. */
    if (xl_conf_load(&conf))
        return 1;
    rc = 1;
    d = xlcfg_diags_new();
    if (!d) {
        xl_err("out of memory");
        goto out;
    }
    /* One key=value per argument, taken as written, as the reference. */
    err = xl_nic_from_args(argc - optind - 1, argv + optind + 1, &conf, &loc,
                           &nic, d);
    xl_print_diags(d);
    if (err) {
        if (err == ENOMEM)
            xl_err("out of memory");
        goto out;
    }

    if (xl_dryrun) {
        char *json = libxl_device_nic_to_json(ctx, &nic);

        if (!json) {
            xl_err("%s: cannot render the vif as JSON", xl_cmdname);
            goto out;
        }
        printf("vif: %s\n", json);
        free(json);
        rc = 0;
        goto out;
    }

    if (xl_find_domain(argv[optind], &domid))
        goto out;
    if (asprintf(&what, "cannot attach a network interface to domain %u",
                 domid) < 0)
        what = NULL;
    xl_capture_hold();
    if (libxl_device_nic_add(ctx, domid, &nic, NULL)) {
        /* libxl leaves the half-made backend in xenstore: take it away
         * (while libxl's messages are still captured) */
        libxl_device_nic_destroy(ctx, domid, &nic, NULL);
        xl_device_failed(what ? what : "cannot attach the vif");
        goto out;
    }
    free(xl_capture_release(false));
    rc = 0;
out:
    free(what);
    libxl_device_nic_dispose(&nic);
    xlcfg_diags_free(d);
    xl_conf_dispose(&conf);
    return rc;
}

int main_network_list(int argc, char **argv)
{
    libxl_device_nic *nics;
    libxl_nicinfo info;
    uint32_t domid;
    int opt, rc = 1, i;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (xl_ctx_init())
        return 1;
    rc = 0;
    /* Columns exactly as the reference's. */
    printf("%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n", "Idx", "BE",
           "Mac Addr.", "handle", "state", "evt-ch", "tx-", "rx-ring-ref",
           "BE-path");
    for (i = optind; i < argc; i++) {
        int n = 0, nb, j;

        if (xl_find_domain(argv[i], &domid)) {
            rc = 1;
            continue;
        }
        nics = libxl_device_nic_list(ctx, domid, &n);
        nb = nics ? n : 0;
        for (j = 0; j < nb; j++) {
            libxl_nicinfo_init(&info);
            if (!libxl_device_nic_getinfo(ctx, domid, &nics[j], &info)) {
                printf("%-3d %-2u ", info.devid, info.backend_id);
                printf(LIBXL_MAC_FMT, LIBXL_MAC_BYTES(nics[j].mac));
                printf("%6d %5d %6d %5d/%-11d %-30s\n", info.devid, info.state,
                       info.evtch, info.rref_tx, info.rref_rx, info.backend);
            }
            libxl_nicinfo_dispose(&info);
        }
        if (nics)
            libxl_device_nic_list_free(nics, nb);
    }
    return rc;
}

int main_network_detach(int argc, char **argv)
{
    libxl_device_nic nic;
    const char *which;
    uint32_t domid;
    char *what = NULL, *end;
    int opt, rc = 1, err;

    libxl_device_nic_init(&nic);
    while ((opt = xl_getopt(argc, argv, "", NULL, 2, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (xl_ctx_init())
        return 1;
    if (argc - optind != 2)
        return xl_usage(xl_cmdname);
    rc = 1;
    which = argv[optind + 1];
    if (xl_find_domain(argv[optind], &domid))
        goto out;
    /* A MAC has colons; anything else must be a devid (the reference's
     * atoi() took "abc" as devid 0). */
    if (strchr(which, ':')) {
        err = libxl_mac_to_device_nic(ctx, domid, which, &nic);
    } else {
        long devid;

        errno = 0;
        devid = strtol(which, &end, 10);
        if (end == which || *end || errno || devid < 0 || devid > INT_MAX) {
            xl_err("%s: '%s' is neither a devid nor a MAC address", xl_cmdname,
                   which);
            goto out;
        }
        err = libxl_devid_to_device_nic(ctx, domid, (int)devid, &nic);
    }
    if (err) {
        xl_err("%s: domain %u has no network interface '%s' (see "
               "network-list)",
               xl_cmdname, domid, which);
        goto out;
    }
    if (asprintf(&what, "cannot detach network interface %s from domain %u",
                 which, domid) < 0)
        what = NULL;
    xl_capture_hold();
    if (libxl_device_nic_remove(ctx, domid, &nic, NULL)) {
        xl_device_failed(what ? what : "cannot detach the vif");
        goto out;
    }
    free(xl_capture_release(false));
    rc = 0;
out:
    free(what);
    libxl_device_nic_dispose(&nic);
    return rc;
}
