/* cmd_save.c: xl save, restore, migrate and migrate-receive. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "domcfg.h"
#include "libxlcfg.h"
#include "monitor.h"
#include "savefile.h"
#include "domconfig.h"
#include "xl.h"

/* ------------------------------------------------------------------------
 * Plain fd I/O: the save file and the migration pipes carry libxl's
 * stream right after our header, so no stdio buffering may read ahead.
 */

/* Read exactly the fixed message `msg` (len bytes) from fd. Returns 0, or
 * 1 with the reason printed ("what" names the message). */
static int expect_message(int fd, const char *msg, size_t len, const char *what)
{
    char buf[128];
    ssize_t n;

    if (len > sizeof(buf))
        return 1;
    n = xl_read_full(fd, buf, len);
    if (n < 0) {
        xl_err("migration: reading the %s: %s", what, strerror(errno));
        return 1;
    }
    if ((size_t)n < len) {
        xl_err("migration: the other side closed the stream before the %s",
               what);
        return 1;
    }
    if (memcmp(buf, msg, len)) {
        xl_err("migration: unexpected data instead of the %s (is the other "
               "side an xl migrate-receive?)",
               what);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Configs: an xl.cfg (a file, or text stored in a save file) translated
 * as create does, or the libxl JSON the reference stores.
 */

/* Parse and translate the xl.cfg `source` (read from the file unless
 * `text` is given) through the pipeline, with xl.conf. The text is kept
 * (xl_domcfg_set_current) so the domain built from it stores it, as
 * create's do. Returns 0 or 1 (message printed). */
static int translate_cfg(const struct xl_conf *conf, const char *source,
                         const char *text, size_t len, libxl_domain_config *dc)
{
    struct xl_domconfig_src src = {
        .path = text ? NULL : source, .name = source, .text = text, .len = len};
    struct xl_domconfig r;
    int rc = 1, e;

    xl_domconfig_init(&r);
    e = xl_domconfig_load(ctx, conf, &src, 0, &r);
    xl_print_diags(r.diags);
    if (e == ENOMEM) {
        xl_err("out of memory");
        goto out;
    }
    if (e == EINVAL)
        xl_err("%s: the configuration has errors", source);
    if (e)
        goto out;
    if (xl_domcfg_set_current(r.text, r.len)) {
        xl_err("out of memory");
        goto out;
    }
    memcpy(dc, &r.dc, sizeof(*dc));
    libxl_domain_config_init(&r.dc);
    rc = 0;
out:
    xl_domconfig_dispose(&r);
    return rc;
}

/* The config to store with a saved or migrating domain, as the reference
 * does: libxl's view of the running domain (or `override`, translated),
 * as JSON. *json_r is malloc'd. Returns 0 or 1 (message printed). */
static int config_json(uint32_t domid, const char *override, bool keep_domid,
                       char **json_r)
{
    libxl_domain_config dc;
    int rc = 1;

    libxl_domain_config_init(&dc);
    if (override) {
        struct xl_conf conf;

        if (xl_conf_load(&conf))
            goto out;
        rc = translate_cfg(&conf, override, NULL, 0, &dc);
        xl_conf_dispose(&conf);
        if (rc)
            goto out;
        rc = 1;
    } else if (libxl_retrieve_domain_configuration(ctx, domid, &dc, NULL)) {
        xl_err("cannot retrieve the configuration of domain %u", domid);
        goto out;
    }
    if (keep_domid)
        dc.c_info.domid = domid;
    *json_r = libxl_domain_config_to_json(ctx, &dc);
    if (!*json_r) {
        xl_err("cannot convert the domain configuration to JSON");
        goto out;
    }
    rc = 0;
out:
    libxl_domain_config_dispose(&dc);
    return rc;
}

/* Write the header and the config (JSON, its NUL included, as the
 * reference) to fd. Returns 0 or an errno value. */
static int write_header(int fd, const char *json)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    rc = xl_savefile_encode(json, strlen(json) + 1, 1, &buf, &len);
    if (!rc)
        rc = xl_write_all(fd, buf, len);
    free(buf);
    return rc;
}

/* What precedes libxl's stream in a save file or a migration. */
struct incoming {
    xl_savefile_header hdr;
    char *config; /* NUL-terminated copy, NULL if none was stored */
    size_t config_len;
};

/* Read and check the header and config from fd (`source` names it in
 * messages). Returns 0 or 1 (message printed). */
static int read_incoming(int fd, const char *source, struct incoming *in)
{
    uint8_t hbuf[XL_SAVEFILE_HEADER_LEN], *opt = NULL;
    const uint8_t *config;
    const char *why = NULL;
    ssize_t n;
    int rc = 1;

    n = xl_read_full(fd, hbuf, sizeof(hbuf));
    if (n < 0) {
        xl_err("%s: cannot read: %s", source, strerror(errno));
        goto out;
    }
    if (xl_savefile_decode_header(hbuf, (size_t)n, &in->hdr, &why)) {
        xl_err("%s: %s", source, why);
        goto out;
    }
    fprintf(stderr, "Loading new save file %s (new xl fmt info 0x%x/0x%x/%u)\n",
            source, in->hdr.mandatory_flags, in->hdr.optional_flags,
            in->hdr.optional_data_len);
    opt = malloc(in->hdr.optional_data_len + 1);
    if (!opt) {
        xl_err("out of memory");
        goto out;
    }
    n = xl_read_full(fd, opt, in->hdr.optional_data_len);
    if (n < 0 || (size_t)n < in->hdr.optional_data_len) {
        xl_err("%s: the save file is truncated (in its config)", source);
        goto out;
    }
    if (xl_savefile_decode_optdata(&in->hdr, opt, &config, &in->config_len,
                                   &why)) {
        xl_err("%s: %s", source, why);
        goto out;
    }
    if (in->config_len) {
        fprintf(stderr, " Savefile contains xl domain config%s\n",
                in->hdr.mandatory_flags & XL_SAVEFILE_FLAG_JSON
                    ? " in JSON format"
                    : "");
        in->config = malloc(in->config_len + 1);
        if (!in->config) {
            xl_err("out of memory");
            goto out;
        }
        memcpy(in->config, config, in->config_len);
        in->config[in->config_len] = '\0';
    }
    rc = 0;
out:
    free(opt);
    return rc;
}

/* The domain's config: `override` if given, else the stored one. */
static int incoming_config(const struct xl_conf *conf,
                           const struct incoming *in, const char *source,
                           const char *override, libxl_domain_config *dc)
{
    if (override)
        return translate_cfg(conf, override, NULL, 0, dc);
    if (!in->config) {
        xl_err("%s holds no domain configuration: give a config file", source);
        return 1;
    }
    if (!(in->hdr.mandatory_flags & XL_SAVEFILE_FLAG_JSON))
        return translate_cfg(conf, "<saved config>", in->config, in->config_len,
                             dc);
    if (libxl_domain_config_from_json(ctx, dc, in->config)) {
        xl_err("%s: the stored domain configuration is not valid libxl JSON",
               source);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Building the domain from a stream. Its monitor (xl_monitor_run) rebuilds
 * it on restart as create does (xl_create_rebuild).
 */

struct restore_opts {
    bool paused, debug, vnc, vncpass;
    xl_monitor_mode monitor;
};

/* Build the domain from the stream on `fd` (stream_version of its
 * header). Unpauses it unless `paused`. Returns 0 with *domid_r set, or 1
 * with the reason printed and nothing left behind. */
static int build(libxl_domain_config *dc, int fd, uint32_t stream_version,
                 bool paused, uint32_t *domid_r)
{
    libxl_domain_restore_params params;
    uint32_t domid = INVALID_DOMID;
    int rc;

    /* Refuse before reading the stream (a migration's sender learns why). */
    if (xl_build_begin(dc, "restore", true))
        return 1;
    libxl_domain_restore_params_init(&params);
    params.checkpointed_stream = LIBXL_CHECKPOINTED_STREAM_NONE;
    params.stream_version = stream_version;
    rc = libxl_domain_create_restore(ctx, dc, &domid, fd, -1, &params, NULL,
                                     NULL);
    libxl_domain_restore_params_dispose(&params);
    xl_build_unlock();
    if (rc) {
        libxl_dominfo info;

        /* libxl usually destroys what it half built: only if not. */
        libxl_dominfo_init(&info);
        if (libxl_domid_valid_guest(domid) &&
            !libxl_domain_info(ctx, &info, domid))
            libxl_domain_destroy(ctx, domid, NULL);
        libxl_dominfo_dispose(&info);
        xl_build_failed("restore", dc->c_info.name, rc,
                        "nothing of it was kept");
        return 1;
    }
    if (xl_domcfg_store_current(ctx, domid))
        xl_err("warning: cannot keep the config text of domain %u", domid);
    if (!paused && libxl_domain_unpause(ctx, domid, NULL)) {
        xl_err("cannot unpause domain %u; destroying it", domid);
        libxl_domain_destroy(ctx, domid, NULL);
        return 1;
    }
    *domid_r = domid;
    return 0;
}

/* Build from the libxl stream on fd that follows `in`'s header (restore,
 * migrate-receive); with `debug` the config goes to stderr first. */
static int build_incoming(const struct incoming *in, int fd,
                          libxl_domain_config *dc, bool debug, bool paused,
                          uint32_t *domid_r)
{
    if (debug) {
        char *json = libxl_domain_config_to_json(ctx, dc);

        if (json)
            fprintf(stderr, "%s", json);
        free(json);
    }
    return build(dc, fd,
                 in->hdr.mandatory_flags & XL_SAVEFILE_FLAG_STREAMV2 ? 2 : 1,
                 paused, domid_r);
}

/* After a save or migration that failed: resume the domain if it was
 * suspended. A domain still running is left alone, since a cooperative
 * resume of a running guest would corrupt its state. Returns a phrase
 * for the user's message saying what became of the domain. */
static const char *resume_if_suspended(uint32_t domid)
{
    libxl_dominfo info;
    bool suspended;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid)) {
        libxl_dominfo_dispose(&info);
        return "the domain is gone";
    }
    suspended =
        info.shutdown && info.shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND;
    libxl_dominfo_dispose(&info);
    if (!suspended)
        return "the domain was not suspended and keeps running here";
    if (libxl_domain_resume(ctx, domid, 1, NULL))
        return "resuming the suspended domain here FAILED";
    return "the suspended domain was resumed here";
}

/* ------------------------------------------------------------------------
 * xl save
 *
 * These commands take a variable number of operands, so their table
 * entries leave needs_ctx unset and each one makes the context itself
 * once its arguments are known to be valid (a usage error exits 2
 * without Xen).
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
    if (config_json(domid, override, keep_domid, &json))
        goto out;
    fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        xl_err("cannot open %s for writing: %s", file, strerror(errno));
        goto out;
    }
    e = write_header(fd, json);
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
               resume_if_suspended(domid));
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
    struct restore_opts o = {.monitor = XL_MONITOR_DAEMON};
    struct incoming in = {.config = NULL};
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
    if (read_incoming(fd, file, &in) ||
        incoming_config(&conf, &in, file, override, &dc))
        goto out;
    if (build_incoming(&in, fd, &dc, o.debug, o.paused, &domid))
        goto out;
    close(fd);
    fd = -1;
    fprintf(stderr, "Restored domain %s (domid %u)\n", dc.c_info.name, domid);
    if (o.vnc)
        vncviewer(domid, o.vncpass);
    rc = xl_monitor_run(&conf, domid, &dc, o.monitor, -1, xl_create_rebuild);
out:
    if (fd >= 0)
        close(fd);
    free(in.config);
    libxl_domain_config_dispose(&dc);
    xl_conf_dispose(&conf);
    return rc;
}

/* ------------------------------------------------------------------------
 * xl migrate: the sender
 */

/* argv of the transport: words of `cmd` split on blanks (as the
 * reference's shell would, but with no shell: the words are data), then
 * `extra` (NULL-terminated). *words_r holds the strings. */
static char **split_words(const char *cmd, const char *const *extra,
                          char **words_r)
{
    size_t n = 0, i = 0, next = 0;
    char **argv, *w, *save = NULL;

    *words_r = strdup(cmd);
    if (!*words_r)
        return NULL;
    for (const char *p = cmd; *p; p++)
        n += *p != ' ' && *p != '\t' &&
             (p == cmd || p[-1] == ' ' || p[-1] == '\t');
    while (extra && extra[next])
        next++;
    argv = calloc(n + next + 1, sizeof(*argv));
    if (!argv)
        return NULL;
    for (w = strtok_r(*words_r, " \t", &save); w;
         w = strtok_r(NULL, " \t", &save))
        argv[i++] = w;
    for (size_t k = 0; k < next; k++)
        argv[i++] = (char *)(uintptr_t)extra[k];
    argv[i] = NULL;
    return argv;
}

/* Start the transport with its stdin fed by *send_r and its stdout read
 * from *recv_r; its stderr is ours, so the receiver's messages show. */
static pid_t start_transport(char **argv, int *send_r, int *recv_r)
{
    int to[2] = {-1, -1}, from[2] = {-1, -1};
    pid_t pid;

    if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC)) {
        xl_err("migrate: pipe: %s", strerror(errno));
        goto fail;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        xl_err("migrate: fork: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        if (dup2(to[0], 0) < 0 || dup2(from[1], 1) < 0)
            _exit(127);
        signal(SIGPIPE, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "xl: migrate: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    *send_r = to[1];
    *recv_r = from[0];
    return pid;
fail:
    for (int i = 0; i < 2; i++) {
        if (to[i] >= 0)
            close(to[i]);
        if (from[i] >= 0)
            close(from[i]);
    }
    return -1;
}

/* Reap the transport (waiting up to ~2 s, as the reference) and say how
 * it ended if that was not success. */
static void transport_report(pid_t pid)
{
    int status;

    for (int i = 0; i < 200; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);

        if (r == pid) {
            if (WIFEXITED(status) && WEXITSTATUS(status))
                xl_err("migrate: the receiving side exited with status %d",
                       WEXITSTATUS(status));
            else if (WIFSIGNALED(status))
                xl_err("migrate: the receiving side was killed by signal %d",
                       WTERMSIG(status));
            return;
        }
        if (r < 0 && errno != EINTR)
            return;
        usleep(10 * 1000);
    }
    xl_err("migrate: the receiving side (pid %ld) has not exited; not "
           "waiting for it",
           (long)pid);
}

int main_migrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"debug", no_argument, NULL, 0x100},
        {"live", no_argument, NULL, 0x200},
        {NULL, 0, NULL, 0},
    };
    const char *override = NULL, *ssh = "ssh", *host;
    bool daemonize = true, debug = false, pause_after = false;
    bool keep_domid = false, renamed = false;
    const char *extra[12];
    char verbose[12], **targv = NULL, *words = NULL, *name = NULL;
    char *away = NULL, *json = NULL, status;
    int opt, rc = 1, e, n = 0, send_fd = -1, recv_fd = -1;
    pid_t child = -1;
    uint32_t domid;

    while ((opt = xl_getopt(argc, argv, "FC:s:epD", opts, 2, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'C':
            override = optarg;
            break;
        case 's':
            ssh = optarg;
            break;
        case 'F':
            break; /* the receiver's monitor is always in the background */
        case 'e':
            daemonize = false;
            break;
        case 'p':
            pause_after = true;
            break;
        case 'D':
            keep_domid = true;
            break;
        case 0x100:
            debug = true;
            break;
        case 0x200:
            break; /* xm's --live: migration is always live */
        }
    }
    if (argc - optind != 2) {
        xl_err("migrate: expected a domain and a host");
        return xl_usage("migrate");
    }
    rc = 1;
    host = argv[optind + 1];
    if (xl_ctx_init() || xl_find_domain(argv[optind], &domid))
        goto out;
    if (domid == 0) {
        xl_err("migrate: domain 0 cannot be migrated");
        goto out;
    }
    name = libxl_domid_to_name(ctx, domid);
    if (!name || asprintf(&away, "%s--migratedaway", name) < 0) {
        xl_err("migrate: cannot get the name of domain %u", domid);
        goto out;
    }
    if (config_json(domid, override, keep_domid, &json))
        goto out;

    /* SSH HOST xl [-t] [-T] [-v...] migrate-receive [-e] [-d] [-p], or
     * with -s "" the words of HOST alone (the reference's two forms). */
    if (ssh[0]) {
        extra[n++] = host;
        extra[n++] = "xl";
        if (xl_progress_cr || isatty(2) > 0)
            extra[n++] = "-t";
        if (xl_timestamps)
            extra[n++] = "-T";
        if (xl_verbose > 0) {
            int v = xl_verbose < 8 ? xl_verbose : 8;

            verbose[0] = '-';
            memset(verbose + 1, 'v', (size_t)v);
            verbose[v + 1] = '\0';
            extra[n++] = verbose;
        }
        extra[n++] = "migrate-receive";
        if (!daemonize)
            extra[n++] = "-e";
        if (debug)
            extra[n++] = "-d";
        if (pause_after)
            extra[n++] = "-p";
    }
    extra[n] = NULL;
    targv = split_words(ssh[0] ? ssh : host, extra, &words);
    if (!targv || !targv[0]) {
        xl_err("migrate: %s", targv ? "empty transport command"
                                    : "out of "
                                      "memory");
        goto out;
    }
    signal(SIGPIPE, SIG_IGN); /* a dead receiver is an error, not death */
    child = start_transport(targv, &send_fd, &recv_fd);
    if (child < 0)
        goto out;

    if (expect_message(recv_fd, XL_MIGRATE_BANNER, XL_MIGRATE_BANNER_LEN,
                       "receiver's banner")) {
        close(send_fd);
        send_fd = -1;
        transport_report(child);
        child = -1;
        xl_err("migration of '%s' to %s failed before it started (see the "
               "receiver's messages above); the domain keeps running here",
               name, host);
        goto out;
    }
    e = write_header(send_fd, json);
    if (e) {
        xl_err("migrate: sending the header: %s", strerror(e));
        goto failed_resume;
    }
    if (xl_logger)
        xtl_stdiostream_adjust_flags(xl_logger, XTL_STDIOSTREAM_HIDE_PROGRESS,
                                     0);
    e = libxl_domain_suspend(
        ctx, domid, send_fd,
        LIBXL_SUSPEND_LIVE | (debug ? LIBXL_SUSPEND_DEBUG : 0), NULL);
    if (xl_logger)
        xtl_stdiostream_adjust_flags(xl_logger, 0,
                                     XTL_STDIOSTREAM_HIDE_PROGRESS);
    if (e) {
        xl_err("migration sender: sending the domain failed (libxl error %d)",
               e);
        goto failed_resume;
    }
    if (expect_message(recv_fd, XL_MIGRATE_READY, sizeof(XL_MIGRATE_READY),
                       "receiver's ready message"))
        goto failed_resume;
    fprintf(stderr, "migration sender: Target has acknowledged transfer.\n");
    /* The target takes the name only once ours is gone. */
    if (libxl_domain_rename(ctx, domid, name, away)) {
        xl_err("migrate: cannot rename '%s' to '%s'", name, away);
        goto failed_resume;
    }
    renamed = true;
    /* Point of no return: once GO is sent the target may run the domain,
     * so ours must never run again unless the target says it failed. */
    fprintf(stderr, "migration sender: Giving target permission to start.\n");
    if (xl_write_all(send_fd, XL_MIGRATE_GO, sizeof(XL_MIGRATE_GO)) ||
        expect_message(recv_fd, XL_MIGRATE_REPORT, sizeof(XL_MIGRATE_REPORT),
                       "receiver's report") ||
        xl_read_full(recv_fd, &status, 1) != 1)
        goto failed_badly;
    if (status) {
        fprintf(stderr,
                "migration sender: Target reports startup failure (status "
                "code %d).\n",
                status);
        if (expect_message(recv_fd, XL_MIGRATE_GO, sizeof(XL_MIGRATE_GO),
                           "receiver's permission to resume"))
            goto failed_badly;
        libxl_domain_rename(ctx, domid, away, name);
        xl_err("migration of '%s' failed at the target; %s", name,
               resume_if_suspended(domid));
        goto out;
    }
    fprintf(stderr, "migration sender: Target reports successful startup.\n");
    libxl_domain_destroy(ctx, domid, NULL);
    fprintf(stderr, "Migration successful.\n");
    rc = 0;
    goto out;

failed_resume:
    close(send_fd);
    send_fd = -1;
    transport_report(child);
    child = -1;
    if (renamed)
        libxl_domain_rename(ctx, domid, away, name);
    xl_err("migration of '%s' to %s failed; %s", name, host,
           resume_if_suspended(domid));
    goto out;

failed_badly:
    xl_err("migration of '%s' failed during the final handshake: the domain "
           "may be running at neither or both ends. Check both hosts "
           "before resuming at most one copy (here it is '%s')",
           name, away);
out:
    if (send_fd >= 0)
        close(send_fd);
    if (child > 0)
        transport_report(child);
    if (recv_fd >= 0)
        close(recv_fd);
    free(targv);
    free(words);
    free(json);
    free(away);
    free(name);
    return rc;
}

/* ------------------------------------------------------------------------
 * xl migrate-receive: the receiver, talking on stdin/stdout
 */

int main_migrate_receive(int argc, char **argv)
{
    static const struct option opts[] = {
        {"colo", no_argument, NULL, 0x100},
        {"coloft-script", required_argument, NULL, 0x100},
        {"userspace-colo-proxy", no_argument, NULL, 0x100},
        {NULL, 0, NULL, 0},
    };
    struct restore_opts o = {.monitor = XL_MONITOR_DAEMON};
    struct incoming in = {.config = NULL};
    const int send_fd = STDOUT_FILENO, recv_fd = STDIN_FILENO;
    const char *source = "<incoming migration stream>";
    bool pause_after = false;
    char *common = NULL, *incoming_name = NULL, status;
    libxl_domain_config dc;
    struct xl_conf conf;
    uint32_t domid = INVALID_DOMID;
    int opt, rc, e;

    xl_conf_init(&conf);
    libxl_domain_config_init(&dc);
    while ((opt = xl_getopt(argc, argv, "Fedrp", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            goto out;
        case 'F':
            o.monitor = XL_MONITOR_FOREGROUND;
            break;
        case 'e':
            o.monitor = XL_MONITOR_NONE;
            break;
        case 'd':
            o.debug = true;
            break;
        case 'p':
            pause_after = true;
            break;
        case 'r':
        case 0x100:
            xl_err("migrate-receive: Remus and COLO are not supported");
            rc = 1;
            goto out;
        }
    }
    rc = 1;
    if (argc - optind) {
        xl_err("migrate-receive: no arguments expected");
        rc = xl_usage("migrate-receive");
        goto out;
    }
    if (xl_ctx_init() || xl_conf_load(&conf))
        goto out;
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "migration target: Ready to receive domain.\n");
    if (xl_write_all(send_fd, XL_MIGRATE_BANNER, XL_MIGRATE_BANNER_LEN))
        goto out;
    if (read_incoming(recv_fd, source, &in) ||
        incoming_config(&conf, &in, source, NULL, &dc))
        goto out;
    /* Received under a temporary name: the sender's copy still holds the
     * real one until it gives us permission to start. */
    common = dc.c_info.name;
    dc.c_info.name = NULL;
    if (!common || asprintf(&incoming_name, "%s--incoming", common) < 0) {
        xl_err("migrate-receive: the received config has no name");
        goto out;
    }
    dc.c_info.name = strdup(incoming_name);
    if (!dc.c_info.name)
        goto out;
    if (build_incoming(&in, recv_fd, &dc, o.debug, true, &domid)) {
        fprintf(stderr, "migration target: Domain creation failed.\n");
        goto out;
    }
    fprintf(stderr, "migration target: Transfer complete, requesting "
                    "permission to start domain.\n");
    if (xl_write_all(send_fd, XL_MIGRATE_READY, sizeof(XL_MIGRATE_READY))) {
        /* the sender is gone and resumes its copy: ours must go */
        libxl_domain_destroy(ctx, domid, NULL);
        goto out;
    }
    e = expect_message(recv_fd, XL_MIGRATE_GO, sizeof(XL_MIGRATE_GO),
                       "sender's permission to start");
    if (!e) {
        fprintf(stderr, "migration target: Got permission, starting "
                        "domain.\n");
        e = libxl_domain_rename(ctx, domid, incoming_name, common);
        if (e)
            xl_err("migrate-receive: cannot rename '%s' to '%s'", incoming_name,
                   common);
    }
    if (!e && !pause_after) {
        e = libxl_domain_unpause(ctx, domid, NULL);
        if (e)
            xl_err("migrate-receive: cannot unpause domain %u", domid);
    }
    if (!e)
        fprintf(stderr, "migration target: Domain started successsfully.\n");
    status = (char)(e ? (e < 0 ? -e : e) : 0);
    if (!status && e)
        status = 1;
    if (xl_write_all(send_fd, XL_MIGRATE_REPORT, sizeof(XL_MIGRATE_REPORT)) ||
        xl_write_all(send_fd, &status, 1))
        goto out;
    if (status) {
        fprintf(stderr, "migration target: Failure, destroying our copy.\n");
        if (libxl_domain_destroy(ctx, domid, NULL)) {
            xl_err("migrate-receive: cannot destroy our copy (domid %u)",
                   domid);
            goto out;
        }
        fprintf(stderr, "migration target: Cleanup OK, granting sender "
                        "permission to resume.\n");
        xl_write_all(send_fd, XL_MIGRATE_GO, sizeof(XL_MIGRATE_GO));
        goto out;
    }
    free(dc.c_info.name);
    dc.c_info.name = common;
    common = NULL;
    rc = 0;
    if (o.monitor != XL_MONITOR_NONE) {
        /* The protocol is over: a foreground monitor keeps neither end
         * of the transport open. */
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);

        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            close(null);
        }
        rc =
            xl_monitor_run(&conf, domid, &dc, o.monitor, -1, xl_create_rebuild);
    }
out:
    free(in.config);
    free(common);
    free(incoming_name);
    libxl_domain_config_dispose(&dc);
    xl_conf_dispose(&conf);
    return rc;
}
