/* cmd_console.c: `xl console`: attach the terminal to a guest console. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "xl.h"

/* Debian's xen-utils-4.17 keeps the client in libxl's private bin dir. */
static const char *const xenconsole_paths[] = {
    "/usr/lib/xen-4.17/bin/xenconsole",
    "/usr/lib/xen/bin/xenconsole",
    "/usr/libexec/xen/bin/xenconsole",
};

void xl_console_exec(uint32_t domid, int num, const char *type, int notify_fd)
{
    char domid_s[16], num_s[16], fd_s[16];
    const char *argv[12];
    const char *path = NULL;
    int n = 0;

    for (size_t i = 0;
         i < sizeof(xenconsole_paths) / sizeof(xenconsole_paths[0]); i++) {
        if (!access(xenconsole_paths[i], X_OK)) {
            path = xenconsole_paths[i];
            break;
        }
    }
    if (!path) {
        fprintf(stderr, "xl: cannot find xenconsole (is xen-utils-4.17 "
                        "installed?)\n");
        return;
    }
    snprintf(domid_s, sizeof(domid_s), "%u", domid);
    snprintf(num_s, sizeof(num_s), "%d", num);
    argv[n++] = path;
    argv[n++] = domid_s;
    argv[n++] = "--num";
    argv[n++] = num_s;
    argv[n++] = "--type";
    argv[n++] = type;
    if (notify_fd >= 0) {
        snprintf(fd_s, sizeof(fd_s), "%d", notify_fd);
        argv[n++] = "--start-notify-fd";
        argv[n++] = fd_s;
    }
    argv[n] = NULL;
    execv(path, (char *const *)(uintptr_t)argv);
    fprintf(stderr, "xl: cannot run %s: %s\n", path, strerror(errno));
}

int main_console(int argc, char **argv)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},
        {"num", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    const char *type = NULL;
    libxl_console_type ctype;
    libxl_dominfo info;
    uint32_t domid;
    char *tty = NULL;
    int opt, rc = 0, num = 0;

    while ((opt = xl_getopt(argc, argv, "t:n:", opts, 1, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 't':
            if (strcmp(optarg, "pv") && strcmp(optarg, "serial") &&
                strcmp(optarg, "vuart")) {
                xl_err("console: unknown console type '%s' (pv, serial or "
                       "vuart)",
                       optarg);
                return 2;
            }
            type = optarg;
            break;
        case 'n': {
            char *end;
            long l = strtol(optarg, &end, 10);

            if (*end || end == optarg || l < 0 || l > 1000) {
                xl_err("console: invalid console number '%s'", optarg);
                return 2;
            }
            num = (int)l;
            break;
        }
        }
    }
    if (argc - optind != 1)
        return xl_usage("console");
    if (xl_find_domain(argv[optind], &domid))
        return 1;

    if (!type) {
        /* The primary console: serial for HVM guests, pv otherwise. */
        libxl_dominfo_init(&info);
        if (libxl_domain_info(ctx, &info, domid)) {
            libxl_dominfo_dispose(&info);
            xl_err("console: cannot get information on domain %u", domid);
            return 1;
        }
        type = info.domain_type == LIBXL_DOMAIN_TYPE_HVM ? "serial" : "pv";
        libxl_dominfo_dispose(&info);
    }
    ctype = !strcmp(type, "serial")  ? LIBXL_CONSOLE_TYPE_SERIAL
            : !strcmp(type, "vuart") ? LIBXL_CONSOLE_TYPE_VUART
                                     : LIBXL_CONSOLE_TYPE_PV;
    /* Check that the console exists, to say why when it does not
     * (xenconsole only says "Could not read tty from store"). */
    if (libxl_console_get_tty(ctx, domid, num, ctype, &tty)) {
        if (ctype == LIBXL_CONSOLE_TYPE_SERIAL)
            xl_err("console: domain %u has no serial console %d: add "
                   "serial = \"pty\" to its config (and console=ttyS0 to "
                   "the guest's kernel command line)",
                   domid, num);
        else
            xl_err("console: domain %u has no %s console %d", domid, type, num);
        return 1;
    }
    free(tty);
    xl_console_exec(domid, num, type, -1);
    return 1;
}
