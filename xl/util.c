/* util.c: helpers every xl command shares (context, messages, options). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>

#include "capture.h"
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
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                         xl_capture_logger((xentoollog_logger *)xl_logger));
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
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                        xl_capture_logger((xentoollog_logger *)xl_logger))) {
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
    xl_capture_logger(NULL);
    xl_capture_reset();
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
