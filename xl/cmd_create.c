/* cmd_create.c: `xl create`: parse, translate, build, attach, monitor. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <signal.h>

#include "console.h"
#include "libxlcfg.h"
#include "monitor.h"
#include "domcfg.h"
#include "domconfig.h"
#include "kcache.h"
#include "xl.h"

struct create_opts {
    const char *config_path; /* NULL: /dev/null-like, command line only */
    char *overrides;         /* key=value lines, or NULL */
    bool dryrun, quiet, paused, console, debug;
    bool monitor, daemonize;
};

/* ------------------------------------------------------------------------
 * Reading the config
 */

/* A bare name that is not a file here is looked up in /etc/xen (the xm
 * habit: `xl create -c dom01`). Returns a malloc'd path or NULL. */
static char *resolve_config(const char *name)
{
    static const char *const suffixes[] = {"", ".cfg"};
    struct stat st;
    char *p;

    if (!stat(name, &st) || strchr(name, '/'))
        return strdup(name);
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        if (asprintf(&p, "/etc/xen/%s%s", name, suffixes[i]) < 0)
            return NULL;
        if (!stat(p, &st) && S_ISREG(st.st_mode))
            return p;
        free(p);
    }
    return strdup(name); /* let the reader report it as given */
}

/* Read, validate and translate through the one pipeline; keep the text
 * to store with the domain (domcfg.h). Returns 0, or prints why and
 * returns 1. */
static int load_config(const struct create_opts *o, const struct xl_conf *conf,
                       libxl_domain_config *dc)
{
    struct xl_domconfig_src src = {.overrides = o->overrides};
    struct xl_domconfig r;
    char *path = NULL;
    int rc = 1, e;

    xl_domconfig_init(&r);
    if (o->config_path && strcmp(o->config_path, "/dev/null")) {
        path = resolve_config(o->config_path);
        if (!path) {
            xl_err("out of memory");
            goto out;
        }
        if (!o->quiet)
            fprintf(stderr, "Parsing config from %s\n", path);
        src.path = path;
    }
    /* -n shows the config exactly as Xen's xl would build it; a real
     * create points libxl at our hotplug scripts. */
    e = xl_domconfig_load(ctx, conf, &src,
                          o->dryrun ? XL_DOMCONFIG_REFERENCE_SCRIPTS : 0, &r);
    xl_print_diags(r.diags);
    if (e == ENOMEM) {
        xl_err("out of memory");
        goto out;
    }
    if (e == EINVAL)
        xl_err("%s: the configuration has errors; nothing was created",
               path ? path : "<command line>");
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
    free(path);
    return rc;
}

/* ------------------------------------------------------------------------
 * Building the domain
 */

static int notify_pipe[2] = {-1, -1};
static pid_t console_pid = -1;
static struct termios saved_tty;
static bool tty_saved;

/* Reap (or end) the console client. Its own exit restores the terminal
 * it found; a client that found the raw mode of an earlier one would
 * leave it raw, so the settings from before the first one come back. */
static void console_reap(int grace_ms)
{
    if (console_pid <= 0)
        return;
    for (; grace_ms > 0; grace_ms -= 50) {
        pid_t r = waitpid(console_pid, NULL, WNOHANG);

        if (r == console_pid || (r < 0 && errno != EINTR))
            goto out;
        usleep(50 * 1000);
    }
    kill(console_pid, SIGTERM);
    while (waitpid(console_pid, NULL, 0) < 0 && errno == EINTR)
        ;
out:
    console_pid = -1;
    if (tty_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/* libxl calls this once a console exists, while the domain is still
 * paused: start xenconsole now so it sees every byte of the boot. With a
 * bootloader it calls twice: first for the bootloader's pty (pygrub's
 * menu), then, once the kernel is loaded, for the guest's own console. */
static void console_available(libxl_ctx *ctx_cb, libxl_event *ev, void *priv)
{
    uint32_t domid = ev->domid;
    libxl_dominfo info;
    const char *type = "pv";

    (void)priv;
    libxl_dominfo_init(&info);
    if (!libxl_domain_info(ctx_cb, &info, domid) &&
        info.domain_type == LIBXL_DOMAIN_TYPE_HVM)
        type = "serial";
    libxl_dominfo_dispose(&info);
    libxl_event_free(ctx_cb, ev);

    if (console_pid > 0) {
        /* The bootloader's client: its pty is gone with pygrub, so it
         * ends by itself; then forget its "attached" byte, the wait
         * after create is for the guest's console. */
        char junk[16];
        int fl = fcntl(notify_pipe[0], F_GETFL);

        console_reap(3000);
        if (fl >= 0 && !fcntl(notify_pipe[0], F_SETFL, fl | O_NONBLOCK)) {
            while (read(notify_pipe[0], junk, sizeof(junk)) > 0)
                ;
            fcntl(notify_pipe[0], F_SETFL, fl);
        }
    } else {
        tty_saved =
            isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_tty);
    }
    fflush(stdout);
    fflush(stderr);
    console_pid = fork();
    if (console_pid < 0) {
        xl_err("cannot start the console: %s", strerror(errno));
        return;
    }
    if (console_pid == 0) {
        close(notify_pipe[0]);
        xl_console_exec(domid, 0, type, notify_pipe[1]);
        _exit(1);
    }
}

/* Wait until xenconsole says it is attached (or gave up). */
static void wait_console_attached(void)
{
    char c;
    ssize_t r;

    close(notify_pipe[1]);
    notify_pipe[1] = -1;
    if (console_pid < 0)
        return;
    do {
        r = read(notify_pipe[0], &c, 1);
    } while (r < 0 && errno == EINTR);
    if (r != 1)
        xl_err("the console did not attach; starting the domain anyway");
}

/* Why did the build fail? A name in use (libxl refuses it; create does
 * not look the name up beforehand, which costs one xenstore read per
 * running domain), else the hotplug script's own words if we saw them. */
static void report_failure(const char *name, uint32_t failed, int rc)
{
    if (!xl_name_taken("create", name, failed))
        xl_build_failed("create", name, rc, "the domain was destroyed");
}

/* Kernel cache: which entry this domain was handed (see xl/kcache.h). */
static struct xl_kcache_state kcache_state;

/* Undo a console started for a domain that is not going to run. */
static void console_abandon(bool with_console)
{
    console_reap(0);
    if (with_console) {
        close(notify_pipe[0]);
        if (notify_pipe[1] >= 0)
            close(notify_pipe[1]);
        notify_pipe[0] = notify_pipe[1] = -1;
    }
}

/* One build. Returns 0 with *domid_r set, 1 with a message printed and
 * nothing left behind, or 2 when the kernel cache entry it was handed
 * turned out stale (nothing left behind either; build again without
 * `fast`). */
static int build_once(const struct create_opts *o, libxl_domain_config *dc,
                      bool first, bool fast, uint32_t *domid_r)
{
    libxl_asyncprogress_how console_how = {.callback = console_available};
    bool with_console = first && o->console;
    struct xl_kcache_check *check = NULL;
    uint32_t domid = INVALID_DOMID;
    char *why = NULL;
    int rc;

    /* PV/PVH: hand libxl the cached unpacked kernel (outside the lock).
     * With `fast`, a known kernel's hash runs beside the build. */
    xl_kcache_prepare(dc, &kcache_state, fast ? &check : NULL);
    if (xl_build_begin(dc, "create", false)) {
        xl_kcache_check_finish(check, NULL);
        return 1;
    }
    if (with_console && libxl_pipe(ctx, notify_pipe)) {
        xl_build_unlock();
        xl_kcache_check_finish(check, NULL);
        xl_err("cannot create the console notification pipe");
        return 1;
    }
    rc = libxl_domain_create_new(ctx, dc, &domid, NULL,
                                 with_console ? &console_how : NULL);
    xl_build_unlock();
    if (rc) {
        xl_kcache_check_finish(check, NULL);
        if (libxl_domid_valid_guest(domid))
            libxl_domain_destroy(ctx, domid, NULL);
        report_failure(dc->c_info.name, domid, rc);
        console_abandon(with_console);
        return 1;
    }
    /* The domain is paused: it runs only a kernel whose hash matched. */
    if (xl_kcache_check_finish(check, &why)) {
        xl_err("warning: kernel cache: %s; building domain '%s' again",
               why ? why : "the kernel changed on disk", dc->c_info.name);
        free(why);
        libxl_domain_destroy(ctx, domid, NULL);
        console_abandon(with_console);
        return 2;
    }
    xl_kcache_after_create(ctx, domid, &kcache_state);
    if (xl_domcfg_store_current(ctx, domid))
        xl_err("warning: cannot keep the config text of domain %u: "
               "`xl boot-policy %s` will not work",
               domid, dc->c_info.name);
    if (with_console) {
        wait_console_attached();
        close(notify_pipe[0]);
        notify_pipe[0] = -1;
    }
    if (!(first && o->paused) && libxl_domain_unpause(ctx, domid, NULL)) {
        xl_err("cannot unpause domain %u; destroying it", domid);
        libxl_domain_destroy(ctx, domid, NULL);
        return 1;
    }
    *domid_r = domid;
    return 0;
}

/* Build; a stale kernel cache hit costs one more build, hashing first. */
static int build_domain(const struct create_opts *o, libxl_domain_config *dc,
                        bool first, uint32_t *domid_r)
{
    int rc = build_once(o, dc, first, true, domid_r);

    return rc == 2 ? build_once(o, dc, first, false, domid_r) : rc;
}

int xl_create_rebuild(const struct xl_conf *conf, libxl_domain_config *dc,
                      uint32_t *domid_r)
{
    /* -c and -p apply to the first build only. */
    static const struct create_opts rebuild_opts = {.monitor = true};

    (void)conf; /* the build itself reads nothing of xl.conf yet */
    return build_domain(&rebuild_opts, dc, false, domid_r);
}

/* Build, then (unless -e) watch the domain and apply its on_* actions,
 * rebuilding it on restart. */
static int run(const struct create_opts *o, const struct xl_conf *conf,
               libxl_domain_config *dc)
{
    xl_monitor_mode mode = !o->monitor    ? XL_MONITOR_NONE
                           : o->daemonize ? XL_MONITOR_DAEMON
                                          : XL_MONITOR_FOREGROUND;
    uint32_t domid = INVALID_DOMID;
    pid_t console;

    if (build_domain(o, dc, true, &domid))
        return 1;
    if (!o->quiet && !o->console)
        fprintf(stderr, "Created domain %s (domid %u)\n", dc->c_info.name,
                domid);
    /* The monitor waits for the console client; a rebuild that fails
     * must not end it (console_reap), since it belongs to the first. */
    console = console_pid;
    console_pid = -1;
    return xl_monitor_run(conf, domid, dc, mode, console, xl_create_rebuild);
}

static int append_override(struct create_opts *o, const char *kv)
{
    size_t old = o->overrides ? strlen(o->overrides) : 0;
    char *n = realloc(o->overrides, old + strlen(kv) + 2);

    if (!n)
        return 1;
    memcpy(n + old, kv, strlen(kv));
    n[old + strlen(kv)] = '\n';
    n[old + strlen(kv) + 1] = 0;
    o->overrides = n;
    return 0;
}

int main_create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dryrun", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {"defconfig", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct create_opts o = {.monitor = true, .daemonize = true};
    struct xl_conf conf;
    libxl_domain_config dc;
    int opt, rc = 0;

    xl_conf_init(&conf);
    libxl_domain_config_init(&dc);
    /* xl accepts the file before the options: `xl create FILE -c`. */
    if (argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '=')) {
        o.config_path = argv[1];
        argc--;
        argv++;
    }
    while ((opt = xl_getopt(argc, argv, "Fnqf:pcde", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            goto out;
        case 'f':
            o.config_path = optarg;
            break;
        case 'p':
            o.paused = true;
            break;
        case 'c':
            o.console = true;
            break;
        case 'd':
            o.debug = true;
            break;
        case 'F':
            o.daemonize = false;
            break;
        case 'e':
            o.daemonize = false;
            o.monitor = false;
            break;
        case 'n':
            o.dryrun = true;
            break;
        case 'q':
            o.quiet = true;
            break;
        }
    }
    if (xl_dryrun)
        o.dryrun = true;
    for (; optind < argc; optind++) {
        if (strchr(argv[optind], '=')) {
            if (append_override(&o, argv[optind])) {
                xl_err("out of memory");
                rc = 1;
                goto out;
            }
        } else if (!o.config_path) {
            o.config_path = argv[optind];
        } else {
            xl_err("create: more than one config file given ('%s' and "
                   "'%s')",
                   o.config_path, argv[optind]);
            rc = xl_usage("create");
            goto out;
        }
    }
    if (!o.config_path && !o.overrides) {
        xl_err("create: no config file given");
        rc = xl_usage("create");
        goto out;
    }

    /* A dry run needs no hypervisor: use libxl only if it is there, so
     * host-dependent values (CPU count) match a real create. */
    if (!o.dryrun || !access("/dev/xen/privcmd", R_OK | W_OK)) {
        if (xl_ctx_init()) {
            rc = 1;
            goto out;
        }
    }
    if (xl_conf_load(&conf) || load_config(&o, &conf, &dc)) {
        rc = 1;
        goto out;
    }
    if (o.dryrun || o.debug) {
        char *json = libxl_domain_config_to_json(ctx, &dc);

        if (!json) {
            xl_err("cannot convert the domain configuration to JSON");
            rc = 1;
            goto out;
        }
        fputs(json, o.dryrun ? stdout : stderr);
        free(json);
        if (o.dryrun)
            goto out;
    }
    rc = run(&o, &conf, &dc);
out:
    libxl_domain_config_dispose(&dc);
    xl_conf_dispose(&conf);
    free(o.overrides);
    return rc;
}
