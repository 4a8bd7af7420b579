/* xl sched-credit and sched-credit2: per-domain weight/cap, per-pool knobs. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "xl.h"

/* What the two commands differ in; everything else is shared. */
struct sched_desc {
    const char *cmd;
    libxl_scheduler sched;
    bool has_tslice_migr; /* credit only: -t and -m */
};

static const struct sched_desc credit_desc = {
    .cmd = "sched-credit",
    .sched = LIBXL_SCHEDULER_CREDIT,
    .has_tslice_migr = true,
};

static const struct sched_desc credit2_desc = {
    .cmd = "sched-credit2",
    .sched = LIBXL_SCHEDULER_CREDIT2,
    .has_tslice_migr = false,
};

/* Parsed command line. */
struct sched_args {
    const char *dom, *pool;
    bool opt_s;
    bool has_w, has_c, has_t, has_r, has_m;
    int weight, cap, tslice, ratelimit, migr;
};

static int parse_int_opt(const char *cmd, const char *what, const char *s,
                         int *r)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < INT_MIN || v > INT_MAX) {
        xl_err("%s: invalid %s '%s': expected a whole number", cmd, what, s);
        return 1;
    }
    *r = (int)v;
    return 0;
}

static int resolve_pool(const char *cmd, const char *pool, uint32_t *poolid_r)
{
    if (libxl_cpupool_qualifier_to_cpupoolid(ctx, pool, poolid_r, NULL) ||
        !libxl_cpupoolid_is_valid(ctx, *poolid_r)) {
        xl_err("%s: unknown cpupool '%s' (see xl cpupool-list)", cmd, pool);
        return 1;
    }
    return 0;
}

static void pool_line(const struct sched_desc *sd, uint32_t poolid)
{
    char *name = libxl_cpupoolid_to_name(ctx, poolid);
    const char *shown = name ? name : "(unknown)";
    int err;

    if (sd->sched == LIBXL_SCHEDULER_CREDIT) {
        libxl_sched_credit_params p;

        err = libxl_sched_credit_params_get(ctx, poolid, &p);
        if (!err)
            printf("Cpupool %s: tslice=%dms ratelimit=%dus "
                   "migration-delay=%dus\n",
                   shown, p.tslice_ms, p.ratelimit_us, p.vcpu_migr_delay_us);
    } else {
        libxl_sched_credit2_params p;

        err = libxl_sched_credit2_params_get(ctx, poolid, &p);
        if (!err)
            printf("Cpupool %s: ratelimit=%dus\n", shown, p.ratelimit_us);
    }
    if (err)
        printf("Cpupool %s: [sched params unavailable]\n", shown);
    free(name);
}

static void domain_header(void)
{
    printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

static int domain_line(const struct sched_desc *sd, uint32_t domid)
{
    libxl_domain_sched_params p;
    char *name = NULL;
    int rc = 1;

    libxl_domain_sched_params_init(&p);
    if (libxl_domain_sched_params_get(ctx, domid, &p)) {
        xl_err("%s: cannot read the scheduling parameters of domain %u",
               sd->cmd, domid);
        goto out;
    }
    if (p.sched != sd->sched) {
        xl_err("%s: domain %u runs under the %s scheduler, not %s (see xl "
               "cpupool-list)",
               sd->cmd, domid, libxl_scheduler_to_string(p.sched),
               libxl_scheduler_to_string(sd->sched));
        goto out;
    }
    name = libxl_domid_to_name(ctx, domid);
    printf("%-33s %4u %6d %4d\n", name ? name : "-", domid, p.weight, p.cap);
    rc = 0;
out:
    free(name);
    libxl_domain_sched_params_dispose(&p);
    return rc;
}

/* Every pool using this scheduler (or just `pool`): its line, then its
 * domains. */
static int list_all(const struct sched_desc *sd, const char *pool)
{
    libxl_dominfo *doms = NULL;
    libxl_cpupoolinfo *pools = NULL;
    uint32_t only = 0;
    int ndoms = 0, npools = 0, p, i, rc = 1;

    if (pool && resolve_pool(sd->cmd, pool, &only))
        return 1;
    doms = libxl_list_domain(ctx, &ndoms);
    if (!doms) {
        xl_err("%s: cannot list domains", sd->cmd);
        goto out;
    }
    pools = libxl_list_cpupool(ctx, &npools);
    if (!pools) {
        xl_err("%s: cannot list CPU pools", sd->cmd);
        goto out;
    }
    rc = 0;
    for (p = 0; p < npools; p++) {
        if (pools[p].sched != sd->sched || (pool && pools[p].poolid != only))
            continue;
        pool_line(sd, pools[p].poolid);
        domain_header();
        for (i = 0; i < ndoms; i++)
            if (doms[i].cpupool == pools[p].poolid &&
                domain_line(sd, doms[i].domid))
                rc = 1;
    }
out:
    if (pools)
        libxl_cpupoolinfo_list_free(pools, npools);
    if (doms)
        libxl_dominfo_list_free(doms, ndoms);
    return rc;
}

/* -s: show or change the pool-wide parameters. */
static int pool_params(const struct sched_desc *sd, const struct sched_args *a)
{
    uint32_t poolid = 0;
    int err;

    if (a->pool && resolve_pool(sd->cmd, a->pool, &poolid))
        return 1;
    if (!a->has_t && !a->has_r && !a->has_m) {
        pool_line(sd, poolid);
        return 0;
    }
    if (sd->sched == LIBXL_SCHEDULER_CREDIT) {
        libxl_sched_credit_params p;

        /* Read first so the knobs not given keep their values. */
        if (libxl_sched_credit_params_get(ctx, poolid, &p)) {
            xl_err("%s: cannot read the parameters of pool %u (does it use "
                   "the credit scheduler?)",
                   sd->cmd, poolid);
            return 1;
        }
        if (a->has_t)
            p.tslice_ms = a->tslice;
        if (a->has_r)
            p.ratelimit_us = a->ratelimit;
        if (a->has_m)
            p.vcpu_migr_delay_us = a->migr;
        err = libxl_sched_credit_params_set(ctx, poolid, &p);
    } else {
        libxl_sched_credit2_params p = {.ratelimit_us = a->ratelimit};

        err = libxl_sched_credit2_params_set(ctx, poolid, &p);
    }
    if (err) {
        xl_err("%s: Xen refused the pool parameters (libxl error %d; "
               "ratelimit must not exceed the time slice)",
               sd->cmd, err);
        return 1;
    }
    return 0;
}

static int domain_params(const struct sched_desc *sd,
                         const struct sched_args *a)
{
    libxl_domain_sched_params p;
    uint32_t domid;
    int err;

    if (xl_find_domain(a->dom, &domid))
        return 1;
    if (!a->has_w && !a->has_c) {
        domain_header();
        return domain_line(sd, domid);
    }
    libxl_domain_sched_params_init(&p);
    p.sched = sd->sched;
    if (a->has_w)
        p.weight = a->weight;
    if (a->has_c)
        p.cap = a->cap;
    err = libxl_domain_sched_params_set(ctx, domid, &p);
    libxl_domain_sched_params_dispose(&p);
    if (err) {
        xl_err("%s: cannot set the parameters of domain %u (libxl error %d; "
               "weight is 1-65535, cap 0 or a percentage of one CPU)",
               sd->cmd, domid, err);
        return 1;
    }
    return 0;
}

static int sched_main(const struct sched_desc *sd, int argc, char **argv)
{
    static const struct option credit_opts[] = {
        {"domain", required_argument, NULL, 'd'},
        {"weight", required_argument, NULL, 'w'},
        {"cap", required_argument, NULL, 'c'},
        {"schedparam", no_argument, NULL, 's'},
        {"tslice_ms", required_argument, NULL, 't'},
        {"ratelimit_us", required_argument, NULL, 'r'},
        {"migration_delay_us", required_argument, NULL, 'm'},
        {"cpupool", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    /* credit2 has no time slice or migration delay: -t/-m are unknown
     * options there, as in the reference. */
    static const struct option credit2_opts[] = {
        {"domain", required_argument, NULL, 'd'},
        {"weight", required_argument, NULL, 'w'},
        {"cap", required_argument, NULL, 'c'},
        {"schedparam", no_argument, NULL, 's'},
        {"ratelimit_us", required_argument, NULL, 'r'},
        {"cpupool", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const struct option *opts =
        sd->has_tslice_migr ? credit_opts : credit2_opts;
    const char *optstring =
        sd->has_tslice_migr ? "d:w:c:p:t:r:m:s" : "d:w:c:p:r:s";
    struct sched_args a = {0};
    int opt, rc;

    while ((opt = xl_getopt(argc, argv, optstring, opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'd':
            a.dom = optarg;
            break;
        case 'p':
            a.pool = optarg;
            break;
        case 's':
            a.opt_s = true;
            break;
        case 'w':
            if (parse_int_opt(sd->cmd, "weight", optarg, &a.weight))
                return 1;
            a.has_w = true;
            break;
        case 'c':
            if (parse_int_opt(sd->cmd, "cap", optarg, &a.cap))
                return 1;
            a.has_c = true;
            break;
        case 'r':
            if (parse_int_opt(sd->cmd, "ratelimit", optarg, &a.ratelimit))
                return 1;
            a.has_r = true;
            break;
        case 't':
        case 'm':
            if (parse_int_opt(sd->cmd,
                              opt == 't' ? "time slice" : "migration delay",
                              optarg, opt == 't' ? &a.tslice : &a.migr))
                return 1;
            if (opt == 't')
                a.has_t = true;
            else
                a.has_m = true;
            break;
        default:
            return xl_usage(sd->cmd);
        }
    }
    if (xl_ctx_init())
        return 1;
    if (optind < argc)
        return xl_usage(sd->cmd);

    if ((a.pool || a.opt_s) && (a.dom || a.has_w || a.has_c)) {
        xl_err("%s: -p/-s (pool-wide) cannot be combined with -d, -w or -c "
               "(per-domain)",
               sd->cmd);
        return 1;
    }
    if (!a.dom && (a.has_w || a.has_c)) {
        xl_err("%s: -w and -c need a domain (-d)", sd->cmd);
        return 1;
    }
    if (!a.opt_s && (a.has_t || a.has_r || a.has_m)) {
        xl_err("%s: -t, -r and -m are pool-wide: add -s", sd->cmd);
        return 1;
    }

    if (a.opt_s)
        return pool_params(sd, &a);
    if (a.dom)
        return domain_params(sd, &a);
    return list_all(sd, a.pool);
}

int main_sched_credit(int argc, char **argv)
{
    return sched_main(&credit_desc, argc, argv);
}

int main_sched_credit2(int argc, char **argv)
{
    return sched_main(&credit2_desc, argc, argv);
}
