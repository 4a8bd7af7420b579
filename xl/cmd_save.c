/* cmd_save.c: xl save and restore. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "monitor.h"
#include "savefile.h"
#include "stream.h"
#include "xl.h"

/* ------------------------------------------------------------------------
 * xl save
 */

int main_save(int argc, char **argv)
{
    const char *file, *override = NULL;
    bool checkpoint = false, leave_paused = false, keep_domid = false;
    char *name = NULL, *json = NULL;
    uint32_t domid;
    int opt, rc = 1, fd = -1, e;

    while ((opt = xl_getopt(argc, argv, "cpD", NULL, 2, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'c':
            checkpoint = true;
            break;
        case 'p':
            leave_paused = true;
            break;
        case 'D':
            keep_domid = true;
            break;
        }
    }
    if (argc - optind > 3) {
        xl_err("save: too many arguments");
        return xl_usage("save");
    }
    rc = 1;
    file = argv[optind + 1];
    if (argc - optind == 3)
        override = argv[optind + 2];
    if (xl_ctx_init() || xl_find_domain(argv[optind], &domid))
        goto out;
    if (domid == 0) {
        xl_err("save: domain 0 cannot be saved");
        goto out;
    }
    name = libxl_domid_to_name(ctx, domid);
    if (xl_stream_config_json(domid, override, keep_domid, &json))
        goto out;
    fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        xl_err("cannot open %s for writing: %s", file, strerror(errno));
        goto out;
    }
    e = xl_stream_write_header(fd, json);
    if (e) {
        xl_err("cannot write %s: %s", file, strerror(e));
        goto fail_file;
    }
    fprintf(stderr, "Saving to %s new xl format (info 0x%x/0x0/%zu)\n", file,
            XL_SAVEFILE_FLAG_STREAMV2 | XL_SAVEFILE_FLAG_JSON,
            strlen(json) + 1 + 4);
    e = libxl_domain_suspend(ctx, domid, fd, 0, NULL);
    if (close(fd) && !e)
        e = ERROR_FAIL; /* the stream did not reach the disk */
    fd = -1;
    if (e) {
        xl_err("cannot save domain '%s' (libxl error %d); %s", name, e,
               xl_stream_resume_if_suspended(domid));
        goto fail_file;
    }
    if (checkpoint || leave_paused) {
        if (leave_paused && libxl_domain_pause(ctx, domid, NULL))
            xl_err("warning: cannot pause domain '%s'", name);
        if (libxl_domain_resume(ctx, domid, 1, NULL)) {
            xl_err("domain '%s' was saved to %s but could not be resumed", name,
                   file);
            goto out;
        }
    } else if (libxl_domain_destroy(ctx, domid, NULL)) {
        xl_err("domain '%s' was saved to %s but could not be destroyed", name,
               file);
        goto out;
    }
    rc = 0;
    goto out;
fail_file:
    if (fd >= 0)
        close(fd);
    fd = -1;
    unlink(file); /* half a save file is only a trap for a later restore */
out:
    if (fd >= 0)
        close(fd);
    free(json);
    free(name);
    return rc;
}

/* ------------------------------------------------------------------------
 * xl restore
 */

static void vncviewer(uint32_t domid, bool autopass)
{
    pid_t pid = fork();

    if (pid == 0) {
        libxl_vncviewer_exec(ctx, domid, autopass);
        _exit(1);
    }
    if (pid < 0)
        xl_err("cannot start vncviewer: %s", strerror(errno));
}

int main_restore(int argc, char **argv)
{
    struct xl_restore_opts o = {.monitor = XL_MONITOR_DAEMON};
    struct xl_incoming in = {.config = NULL};
    const char *file, *override = NULL;
    libxl_domain_config dc;
    struct xl_conf conf;
    uint32_t domid;
    int opt, rc, fd = -1;

    xl_conf_init(&conf);
    libxl_domain_config_init(&dc);
    while ((opt = xl_getopt(argc, argv, "FpeVAd", NULL, 1, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            goto out;
        case 'F':
            o.monitor = XL_MONITOR_FOREGROUND;
            break;
        case 'p':
            o.paused = true;
            break;
        case 'e':
            o.monitor = XL_MONITOR_NONE;
            break;
        case 'V':
            o.vnc = true;
            break;
        case 'A':
            o.vnc = o.vncpass = true;
            break;
        case 'd':
            o.debug = true;
            break;
        }
    }
    if (argc - optind > 2) {
        xl_err("restore: too many arguments");
        rc = xl_usage("restore");
        goto out;
    }
    rc = 1;
    if (argc - optind == 2)
        override = argv[optind++];
    file = argv[optind];
    if (xl_ctx_init() || xl_conf_load(&conf))
        goto out;
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        xl_err("cannot open checkpoint file %s: %s", file, strerror(errno));
        goto out;
    }
    if (xl_stream_read_incoming(fd, file, &in) ||
        xl_stream_incoming_config(&conf, &in, file, override, &dc))
        goto out;
    if (xl_stream_build_incoming(&conf, &in, fd, &dc, o.debug, o.paused,
                                 &domid))
        goto out;
    close(fd);
    fd = -1;
    fprintf(stderr, "Restored domain %s (domid %u)\n", dc.c_info.name, domid);
    if (o.vnc)
        vncviewer(domid, o.vncpass);
    rc = xl_monitor_run(&conf, domid, &dc, o.monitor, -1);
out:
    if (fd >= 0)
        close(fd);
    free(in.config);
    libxl_domain_config_dispose(&dc);
    xl_conf_dispose(&conf);
    return rc;
}
