/* util.c: helpers every xl command shares (context, messages, options). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>

#include <libxl_utils.h>

#include "capture.h"
#include "cmdtable.h"
#include "ctx.h"
#include "xl.h"

int xl_verbose;
bool xl_dryrun;
bool xl_force;
bool xl_timestamps;
bool xl_progress_cr;
const char *xl_cmdname;

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
