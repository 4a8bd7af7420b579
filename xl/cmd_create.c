/* cmd_create.c: `xl create`: options, config, build, then the monitor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "cmdtable.h"
#include "commands.h"
#include "console.h"
#include "ctx.h"
#include "domconfig.h"
#include "libxlcfg.h"
#include "monitor.h"
#include "xl.h"

struct create_opts {
    const char *config_path; /* NULL: /dev/null-like, command line only */
    char *overrides;         /* key=value lines, or NULL */
    bool dryrun, quiet, paused, console, debug;
    bool ignore_masks; /* -i: not xl.conf's vm.cpumask and the like */
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

/* Read, validate and translate through the one pipeline. Returns 0, or
 * prints why and returns 1. */
static int load_config(const struct create_opts *o, const struct xl_conf *conf,
                       libxl_domain_config *dc)
{
    struct xl_domconfig_src src = {.overrides = o->overrides};
    char *path = NULL;
    int rc;

    if (o->config_path && strcmp(o->config_path, "/dev/null")) {
        path = resolve_config(o->config_path);
        if (!path) {
            xl_err("out of memory");
            return 1;
        }
        if (!o->quiet)
            fprintf(stderr, "Parsing config from %s\n", path);
        src.path = path;
    }
    /* -n shows the config exactly as Xen's xl would build it; a real
     * create points libxl at our hotplug scripts. */
    rc = xl_build_load_config(
        conf, &src, o->dryrun ? XL_DOMCONFIG_REFERENCE_SCRIPTS : 0,
        path ? path : "<command line>", "; nothing was created", dc);
    free(path);
    return rc;
}

/* Build, then (unless -e) watch the domain and apply its on_* actions,
 * rebuilding it on restart. */
static int run(const struct create_opts *o, const struct xl_conf *conf,
               libxl_domain_config *dc)
{
    xl_monitor_mode mode = !o->monitor    ? XL_MONITOR_NONE
                           : o->daemonize ? XL_MONITOR_DAEMON
                                          : XL_MONITOR_FOREGROUND;
    struct xl_build_opts bo = {.console = o->console, .paused = o->paused};
    uint32_t domid = INVALID_DOMID;

    if (xl_build_create(conf, dc, &bo, &domid))
        return 1;
    if (!o->quiet && !o->console)
        fprintf(stderr, "Created domain %s (domid %u)\n", dc->c_info.name,
                domid);
    /* The monitor waits for the console client; a rebuild that fails
     * must not end it, since it belongs to the first build. */
    return xl_monitor_run(conf, domid, dc, mode, xl_console_client_take());
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
        {"ignore-global-affinity-masks", no_argument, NULL, 'i'},
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
    while ((opt = xl_getopt(argc, argv, "Fnqf:pcdei", opts, 0, &rc)) != -1) {
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
        case 'i':
            o.ignore_masks = true;
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
    if (xl_conf_load(&conf)) {
        rc = 1;
        goto out;
    }
    if (o.ignore_masks) {
        /* the masks are not applied: as if xl.conf had none, for this
         * build and the monitor's rebuilds */
        xl_conf_cpumask_clear(&conf.vm_cpumask);
        xl_conf_cpumask_clear(&conf.pv_cpumask);
        xl_conf_cpumask_clear(&conf.hvm_cpumask);
    }
    if (load_config(&o, &conf, &dc)) {
        rc = 1;
        goto out;
    }
    if ((o.dryrun || o.debug) &&
        xl_domconfig_print(ctx, o.dryrun ? stdout : stderr, &conf, &dc)) {
        rc = 1;
        goto out;
    }
    if (o.dryrun)
        goto out;
    rc = run(&o, &conf, &dc);
out:
    libxl_domain_config_dispose(&dc);
    xl_conf_dispose(&conf);
    free(o.overrides);
    return rc;
}
