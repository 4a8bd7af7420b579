/* cmd_migrate.c: xl migrate (the sender) and migrate-receive. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
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
    if (xl_stream_config_json(domid, override, keep_domid, &json))
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

    if (xl_stream_expect(recv_fd, XL_MIGRATE_BANNER, XL_MIGRATE_BANNER_LEN,
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
    e = xl_stream_write_header(send_fd, json);
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
    if (xl_stream_expect(recv_fd, XL_MIGRATE_READY, sizeof(XL_MIGRATE_READY),
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
        xl_stream_expect(recv_fd, XL_MIGRATE_REPORT, sizeof(XL_MIGRATE_REPORT),
                         "receiver's report") ||
        xl_read_full(recv_fd, &status, 1) != 1)
        goto failed_badly;
    if (status) {
        fprintf(stderr,
                "migration sender: Target reports startup failure (status "
                "code %d).\n",
                status);
        if (xl_stream_expect(recv_fd, XL_MIGRATE_GO, sizeof(XL_MIGRATE_GO),
                             "receiver's permission to resume"))
            goto failed_badly;
        libxl_domain_rename(ctx, domid, away, name);
        xl_err("migration of '%s' failed at the target; %s", name,
               xl_stream_resume_if_suspended(domid));
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
           xl_stream_resume_if_suspended(domid));
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
    struct xl_restore_opts o = {.monitor = XL_MONITOR_DAEMON};
    struct xl_incoming in = {.config = NULL};
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
    if (xl_stream_read_incoming(recv_fd, source, &in) ||
        xl_stream_incoming_config(&conf, &in, source, NULL, &dc))
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
    if (xl_stream_build_incoming(&conf, &in, recv_fd, &dc, o.debug, true,
                                 &domid)) {
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
    e = xl_stream_expect(recv_fd, XL_MIGRATE_GO, sizeof(XL_MIGRATE_GO),
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
        rc = xl_monitor_run(&conf, domid, &dc, o.monitor, -1);
    }
out:
    free(in.config);
    free(common);
    free(incoming_name);
    libxl_domain_config_dispose(&dc);
    xl_conf_dispose(&conf);
    return rc;
}
