/* util.c: helpers every xl command shares (context, messages, options). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>

#include "xl.h"

libxl_ctx *ctx;
xentoollog_logger_stdiostream *xl_logger;
const char *xl_cmdname;
bool xl_ctx_wanted;

void xl_err(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout); /* keep our message after what the command printed */
    fputs("xl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ------------------------------------------------------------------------
 * The contexts' logger: libxl's messages go on to xl_logger, and the
 * hotplug script's own error is kept so that a failed build can say why.
 */

static void capture_vmessage(xentoollog_logger *logger, xentoollog_level level,
                             int errnoval, const char *context,
                             const char *format, va_list al)
    __attribute__((format(printf, 5, 0)));
static void capture_vmessage(xentoollog_logger *logger, xentoollog_level level,
                             int errnoval, const char *context,
                             const char *format, va_list al)
{
    struct xl_capture_logger *cl = (struct xl_capture_logger *)logger;
    va_list copy;
    char *msg = NULL;
    const char *p;

    va_copy(copy, al);
    if (level >= XTL_ERROR && vasprintf(&msg, format, copy) >= 0 &&
        (p = strstr(msg, "script: "))) {
        free(cl->script_error);
        cl->script_error = strdup(p + strlen("script: "));
    }
    va_end(copy);
    free(msg);
    cl->inner->vmessage(cl->inner, level, errnoval, context, format, al);
}

static void capture_progress(xentoollog_logger *logger, const char *context,
                             const char *doing_what, int percent,
                             unsigned long done, unsigned long total)
{
    struct xl_capture_logger *cl = (struct xl_capture_logger *)logger;

    cl->inner->progress(cl->inner, context, doing_what, percent, done, total);
}

static void capture_destroy(xentoollog_logger *logger)
{
    (void)logger; /* static storage; xl_ctx_free destroys the inner one */
}

struct xl_capture_logger capture = {
    .vtable = {capture_vmessage, capture_progress, capture_destroy},
};

int xl_ctx_init(void)
{
    xentoollog_level level = XTL_PROGRESS;
    unsigned flags = 0;
    int rc;

    if (ctx)
        return 0;
    /* Each -v shows one more level of libxl's messages. */
    for (int i = 0; i < xl_verbose && level > XTL_DEBUG; i++)
        level--;
    if (xl_timestamps)
        flags |= XTL_STDIOSTREAM_SHOW_DATE | XTL_STDIOSTREAM_SHOW_PID;
    if (xl_progress_cr)
        flags |= XTL_STDIOSTREAM_PROGRESS_USE_CR;
    xl_logger = xtl_createlogger_stdiostream(stderr, level, flags);
    if (!xl_logger) {
        xl_err("cannot init xl context: cannot create the logger");
        return 1;
    }
    capture.inner = (xentoollog_logger *)xl_logger;
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, &capture.vtable);
    if (!rc)
        xl_ctx_children_mode(ctx);
    if (rc) {
        ctx = NULL;
        /* libxl's own log line says what failed; add the usual cause. */
        if (access("/dev/xen/privcmd", F_OK) && access("/proc/xen", F_OK))
            xl_err("cannot init xl context: no Xen interface here "
                   "(not running in dom0 of a Xen host?)");
        else if (geteuid() != 0)
            xl_err("cannot init xl context: permission denied "
                   "(xl needs root)");
        else
            xl_err("cannot init xl context (libxl error %d)", rc);
        xtl_logger_destroy((xentoollog_logger *)xl_logger);
        xl_logger = NULL;
        return 1;
    }
    return 0;
}

void xl_ctx_children_mode(libxl_ctx *c)
{
    /* libxl keeps the pointer: static storage. */
    static const libxl_childproc_hooks hooks = {
        .chldowner = libxl_sigchld_owner_libxl_always_selective_reap,
    };

    libxl_childproc_setmode(c, &hooks, NULL);
}

int xl_ctx_after_fork(void)
{
    libxl_postfork_child_noexec(ctx);
    ctx = NULL;
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, &capture.vtable)) {
        ctx = NULL;
        return 1;
    }
    xl_ctx_children_mode(ctx);
    return 0;
}

void xl_ctx_free(void)
{
    if (ctx)
        libxl_ctx_free(ctx);
    ctx = NULL;
    if (xl_logger)
        xtl_logger_destroy((xentoollog_logger *)xl_logger);
    xl_logger = NULL;
    capture.inner = NULL;
    free(capture.script_error);
    capture.script_error = NULL;
}

int xl_find_domain(const char *name_or_id, uint32_t *domid_r)
{
    libxl_dominfo info;
    uint32_t domid;
    char *end;
    unsigned long v;
    int rc;

    if (!ctx && xl_ctx_init()) /* a command that did not use xl_getopt */
        return 1;
    errno = 0;
    v = strtoul(name_or_id, &end, 10);
    if (*name_or_id >= '0' && *name_or_id <= '9' && !*end) {
        if (errno || v >= DOMID_FIRST_RESERVED) {
            xl_err("'%s' is not a valid domain id", name_or_id);
            return 1;
        }
        domid = (uint32_t)v;
        /* A number names a domain only if that domain exists. */
        libxl_dominfo_init(&info);
        rc = libxl_domain_info(ctx, &info, domid);
        libxl_dominfo_dispose(&info);
        if (rc) {
            xl_err("domain '%s' not found", name_or_id);
            return 1;
        }
    } else if (libxl_name_to_domid(ctx, name_or_id, &domid)) {
        xl_err("domain '%s' not found", name_or_id);
        return 1;
    }
    *domid_r = domid;
    return 0;
}

int xl_usage(const char *name)
{
    const struct cmd_spec *cmd = name ? xl_cmd_find(name, NULL) : NULL;

    if (!cmd) {
        fprintf(stderr, "Usage: xl [-vNfTt] <command> [args]\n"
                        "Run 'xl help' for the list of commands.\n");
        return 2;
    }
    fprintf(stderr,
            "Usage: xl %s %s\n"
            "Run 'xl help %s' for details.\n",
            cmd->name, cmd->usage, cmd->name);
    return 2;
}

int xl_help(const char *name)
{
    const struct cmd_spec *cmd;
    unsigned nmatch;

    if (!name) {
        printf("Usage: xl [-vNfTt] <command> [args]\n\n"
               "Commands:\n");
        for (unsigned i = 0; i < xl_cmdtable_len; i++)
            printf(" %-22s %s\n", xl_cmdtable[i].name, xl_cmdtable[i].summary);
        printf("\nGlobal options (before the command):\n"
               " -v    more messages from libxl (repeat for more)\n"
               " -N    dry run: show what would be done, change nothing\n"
               " -f    force (commands that have a -f accept it here)\n"
               " -t    progress messages overwrite their line\n"
               " -T    timestamps and pid in libxl's messages\n"
               "\nRun 'xl help <command>' or 'xl <command> -h' for a "
               "command's options.\n");
        return 0;
    }
    cmd = xl_cmd_find(name, &nmatch);
    if (!cmd) {
        char cands[512];

        if (nmatch > 1) {
            xl_cmd_candidates(name, cands, sizeof(cands));
            xl_err("command '%s' is ambiguous: could be %s", name, cands);
        } else {
            xl_err("unknown command '%s'; run 'xl help'", name);
        }
        return 2;
    }
    printf("Usage: xl [-v%s] %s %s\n\n%s.\n", cmd->can_dryrun ? "N" : "",
           cmd->name, cmd->usage, cmd->summary);
    if (cmd->options && *cmd->options)
        printf("\nOptions:\n%s\n", cmd->options);
    return 0;
}

int main_help(int argc, char **argv)
{
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 0, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 1)
        return xl_usage("help");
    return xl_help(optind < argc ? argv[optind] : NULL);
}

/* Room for the longest option table of a command plus --help. */
#define XL_MAX_LONGOPTS 32

int xl_getopt(int argc, char **argv, const char *optstring,
              const struct option *longopts, int min_args, int *rc_r)
{
    struct option opts[XL_MAX_LONGOPTS + 2];
    char shortopts[128];
    const char *name = xl_cmdname ? xl_cmdname : argv[0];
    size_t n = 0;
    int opt;

    /* ':' first: report a missing option argument as ':' and let us
     * print the message; 'h' is every command's help. */
    snprintf(shortopts, sizeof(shortopts), ":%sh", optstring);
    for (; longopts && longopts[n].name && n < XL_MAX_LONGOPTS; n++)
        opts[n] = longopts[n];
    opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[n] = (struct option){NULL, 0, NULL, 0};

    opterr = 0;
    opt = getopt_long(argc, argv, shortopts, opts, NULL);
    switch (opt) {
    case -1:
        if (argc - optind < min_args) {
            xl_err("%s: missing argument", name);
            *rc_r = xl_usage(name);
            return XL_OPT_EXIT;
        }
        if (xl_ctx_wanted && xl_ctx_init()) {
            *rc_r = 1;
            return XL_OPT_EXIT;
        }
        return -1;
    case 'h':
        *rc_r = xl_help(name);
        return XL_OPT_EXIT;
    case ':':
        if (optopt)
            xl_err("%s: option '-%c' needs an argument", name, optopt);
        else
            xl_err("%s: option '%s' needs an argument", name, argv[optind - 1]);
        *rc_r = xl_usage(name);
        return XL_OPT_EXIT;
    case '?':
        if (optopt)
            xl_err("%s: unknown option '-%c'", name, optopt);
        else
            xl_err("%s: unknown option '%s'", name, argv[optind - 1]);
        *rc_r = xl_usage(name);
        return XL_OPT_EXIT;
    default:
        return opt;
    }
}

/* ------------------------------------------------------------------
 * Building a domain (create, restore, migrate-receive)
 */

#define XL_LOCK_FILE "/var/lock/xl"

static int lock_fd = -1;

/* The same lock as Debian's xl, so creates from both never race. */
static int build_lock(void)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

    lock_fd = open(XL_LOCK_FILE, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) {
        xl_err("cannot open lock %s: %s", XL_LOCK_FILE, strerror(errno));
        return 1;
    }
    while (fcntl(lock_fd, F_SETLKW, &fl) < 0) {
        if (errno != EINTR) {
            xl_err("cannot lock %s: %s", XL_LOCK_FILE, strerror(errno));
            close(lock_fd);
            lock_fd = -1;
            return 1;
        }
    }
    return 0;
}

/* Balloon dom0 down if the new domain does not fit (autoballoon). */
static int free_memory(libxl_domain_config *dc)
{
    const libxl_version_info *vi = libxl_get_version_info(ctx);
    uint64_t need, freekb;

    /* "auto" (the default): balloon unless dom0_mem fixes dom0's size. */
    if (vi && vi->commandline && strstr(vi->commandline, "dom0_mem="))
        return 0;
    if (libxl_domain_need_memory(ctx, dc, INVALID_DOMID, &need))
        return 1;
    for (int tries = 3; tries > 0; tries--) {
        if (libxl_get_free_memory(ctx, &freekb))
            return 1;
        if (freekb >= need)
            return 0;
        if (libxl_set_memory_target(ctx, 0, (int64_t)freekb - (int64_t)need, 1,
                                    0) ||
            libxl_wait_for_memory_target(ctx, 0, 10))
            return 1;
    }
    return 1;
}

void xl_build_unlock(void)
{
    if (lock_fd >= 0)
        close(lock_fd); /* closing drops the fcntl lock */
    lock_fd = -1;
}

bool xl_name_taken(const char *verb, const char *name, uint32_t except)
{
    uint32_t other;

    if (libxl_name_to_domid(ctx, name, &other) || other == except)
        return false;
    xl_err("cannot %s domain '%s': a domain with this name already exists "
           "(domid %u)",
           verb, name, other);
    return true;
}

int xl_build_begin(libxl_domain_config *dc, const char *verb, bool check_name)
{
    if (build_lock())
        return 1;
    free(capture.script_error); /* a script error is this build's only */
    capture.script_error = NULL;
    /* libxl also refuses a duplicate name, but only after starting to
     * build; checking under the lock gives one clear message. */
    if (check_name && xl_name_taken(verb, dc->c_info.name, INVALID_DOMID)) {
        xl_build_unlock();
        return 1;
    }
    if (free_memory(dc))
        xl_err("warning: could not free enough memory for '%s'; trying "
               "anyway",
               dc->c_info.name);
    return 0;
}

void xl_build_failed(const char *verb, const char *name, int rc,
                     const char *fate)
{
    if (capture.script_error)
        xl_err("cannot %s domain '%s': hotplug script failed: %s; %s", verb,
               name, capture.script_error, fate);
    else
        xl_err("cannot %s domain '%s' (libxl error %d, see the messages "
               "above); %s",
               verb, name, rc, fate);
}

void xl_print_diags(const xlcfg_diags *d)
{
    char *text;

    if (!d || xlcfg_diags_count(d) == 0)
        return;
    text = xlcfg_diags_format(d);
    if (!text) {
        xl_err("out of memory");
        return;
    }
    fflush(stdout); /* after what was printed before, as it happened */
    fputs(text, stderr);
    free(text);
}

int xl_conf_load(struct xl_conf *conf)
{
    xlcfg_diags *d = xlcfg_diags_new();
    int rc;

    xl_conf_init(conf);
    if (!d) {
        xl_err("out of memory");
        return 1;
    }
    rc = xl_conf_read(conf, XL_GLOBAL_CONFIG, d);
    xl_print_diags(d);
    xlcfg_diags_free(d);
    if (rc == ENOMEM)
        xl_err("out of memory");
    else if (rc)
        xl_err("%s has errors", XL_GLOBAL_CONFIG);
    if (rc)
        xl_conf_dispose(conf);
    return rc ? 1 : 0;
}
