/* xl vcpu-list, vcpu-pin and vcpu-set: vCPU placement and count. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "cmdtable.h"
#include "commands.h"
#include "cpuarg.h"
#include "cpumap.h"
#include "ctx.h"
#include "libxlcfg.h"
#include "xl.h"

static void print_vcpu(uint32_t domid, const char *name,
                       const libxl_vcpuinfo *v, unsigned nr_cpus)
{
    printf("%-32s %5u %5u", name, domid, v->vcpuid);
    if (v->online)
        printf("%5u %3c%c- ", v->cpu, v->running ? 'r' : '-',
               v->blocked ? 'b' : '-');
    else
        printf("%5c %3c%cp ", '-', '-', '-');
    /* The reference rounds through a float; doing the same keeps the
     * column byte-identical. */
    printf("%9.1f  ", (double)(float)v->vcpu_time / 1e9);
    xl_cpumap_print(&v->cpumap, nr_cpus, stdout);
    fputs(" / ", stdout);
    xl_cpumap_print(&v->cpumap_soft, nr_cpus, stdout);
    putchar('\n');
}

static int list_domain_vcpus(uint32_t domid, unsigned nr_cpus)
{
    libxl_vcpuinfo *info;
    int nb_vcpu = 0, nr_host = 0, i;
    char *name;

    info = libxl_list_vcpu(ctx, domid, &nb_vcpu, &nr_host);
    if (!info) {
        xl_err("cannot list the vCPUs of domain %u", domid);
        return 1;
    }
    name = libxl_domid_to_name(ctx, domid);
    for (i = 0; i < nb_vcpu; i++)
        print_vcpu(domid, name ? name : "-", &info[i], nr_cpus);
    free(name);
    libxl_vcpuinfo_list_free(info, nb_vcpu);
    return 0;
}

int main_vcpu_list(int argc, char **argv)
{
    libxl_physinfo physinfo;
    libxl_dominfo *doms = NULL;
    int opt, ndoms = 0, i, rc = 1;

    while ((opt = xl_getopt(argc, argv, "", NULL, 0, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (xl_ctx_init())
        return 1;

    libxl_physinfo_init(&physinfo);
    if (libxl_get_physinfo(ctx, &physinfo)) {
        xl_err("cannot read the host's physical CPU information");
        goto out;
    }
    if (optind == argc) {
        doms = libxl_list_domain(ctx, &ndoms);
        if (!doms) {
            xl_err("cannot list domains");
            goto out;
        }
    }

    /* As the reference: the header first, then each domain in the order
     * given, stopping at the first name that does not resolve (scripts
     * see the same stdout from both). */
    printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
           "State", "Time(s)", "Affinity (Hard / Soft)");
    rc = 0;
    if (doms) {
        for (i = 0; i < ndoms; i++)
            if (list_domain_vcpus(doms[i].domid, physinfo.nr_cpus))
                rc = 1;
    } else {
        for (i = optind; i < argc; i++) {
            uint32_t domid;

            fflush(stdout);
            if (xl_find_domain(argv[i], &domid)) {
                rc = 1;
                break;
            }
            if (list_domain_vcpus(domid, physinfo.nr_cpus))
                rc = 1;
        }
    }

out:
    if (doms)
        libxl_dominfo_list_free(doms, ndoms);
    libxl_physinfo_dispose(&physinfo);
    return rc;
}

/* The host's CPU count and each CPU's NUMA node (for "node:" terms);
 * offline CPUs get a node no term can name. */
static int host_topology(unsigned **cpu_to_node_r, unsigned *nr_cpus_r)
{
    libxl_cputopology *topo;
    unsigned *nodes;
    int nr = 0, i;

    topo = libxl_get_cpu_topology(ctx, &nr);
    if (!topo || nr <= 0) {
        xl_err("cannot read the host's CPU topology");
        return 1;
    }
    nodes = calloc((size_t)nr, sizeof(*nodes));
    if (!nodes) {
        libxl_cputopology_list_free(topo, nr);
        xl_err("out of memory");
        return 1;
    }
    for (i = 0; i < nr; i++)
        nodes[i] = topo[i].node == LIBXL_CPUTOPOLOGY_INVALID_ENTRY
                       ? UINT_MAX
                       : topo[i].node;
    libxl_cputopology_list_free(topo, nr);
    *cpu_to_node_r = nodes;
    *nr_cpus_r = (unsigned)nr;
    return 0;
}

/* Parse one affinity argument (already known not to be "-") into map.
 * As the reference, CPUs past the map's whole bytes are skipped; CPUs
 * the host lacks are warned about. */
static int parse_affinity(const char *what, const char *spec,
                          const unsigned *cpu_to_node, unsigned nr_cpus,
                          libxl_bitmap *map)
{
    xlcfg_diags *diags = xlcfg_diags_new();
    xlcfg_cpulist list = {0};
    xlcfg_loc loc = {.file = NULL, .line = 0, .col = 1, .source_line = spec};
    char *text = NULL, absent[128];
    unsigned bits;
    int rc = 1, err;

    if (!diags) {
        xl_err("out of memory");
        return 1;
    }
    err = xlcfg_parse_cpulist(spec, &loc, &list, diags);
    if (err) {
        text = xlcfg_diags_format(diags);
        xl_err("invalid %s affinity '%s'", what, spec);
        if (text && *text)
            fputs(text, stderr);
        goto out;
    }
    if (libxl_cpu_bitmap_alloc(ctx, map, 0)) {
        xl_err("cannot allocate a CPU map");
        goto out;
    }
    if ((unsigned)map->size * 8 < nr_cpus)
        nr_cpus = (unsigned)map->size * 8;
    bits = (unsigned)map->size * 8;
    for (size_t i = 0; i < list.nterms; i++)
        if (list.terms[i].nodes)
            bits = nr_cpus; /* the topology covers the real CPUs only */
    libxl_bitmap_set_none(map);
    xlcfg_cpulist_resolve(&list, bits, cpu_to_node, map->map);
    if (xlcfg_cpulist_absent(&list, nr_cpus, cpu_to_node, absent,
                             sizeof(absent)))
        xl_err("warning: %s affinity '%s' names CPUs this host lacks (%s; it "
               "has %u): Xen ignores them",
               what, spec, absent, nr_cpus);
    rc = 0;
out:
    free(text);
    xlcfg_cpulist_dispose(&list);
    xlcfg_diags_free(diags);
    return rc;
}

/* Whether map has one of the host's first nr_cpus CPUs. */
static bool any_cpu(const libxl_bitmap *map, unsigned nr_cpus)
{
    for (unsigned i = 0; i < nr_cpus && i < map->size * 8u; i++)
        if (libxl_bitmap_test(map, (int)i))
            return true;
    return false;
}

/* xl.conf's vm.cpumask and the domain type's mask, ANDed into the hard
 * affinity as the reference's vcpu-pin does (-i skips this). */
static int apply_masks(uint32_t domid, const unsigned *cpu_to_node,
                       unsigned nr_cpus, libxl_bitmap *hard)
{
    struct xl_conf conf;
    libxl_dominfo info;
    const struct xl_conf_cpumask *masks[2];
    libxl_bitmap m;
    int rc = 1;

    libxl_dominfo_init(&info);
    libxl_bitmap_init(&m);
    if (xl_conf_load(&conf))
        return 1;
    masks[0] = &conf.vm_cpumask;
    if (!conf.vm_cpumask.set && !conf.pv_cpumask.set && !conf.hvm_cpumask.set) {
        rc = 0;
        goto out;
    }
    if (libxl_domain_info(ctx, &info, domid)) {
        xl_err("cannot read domain %u's type", domid);
        goto out;
    }
    masks[1] = info.domain_type == LIBXL_DOMAIN_TYPE_PV ? &conf.pv_cpumask
                                                        : &conf.hvm_cpumask;
    if (libxl_cpu_bitmap_alloc(ctx, &m, 0)) {
        xl_err("cannot allocate a CPU map");
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        if (!masks[i]->set)
            continue;
        libxl_bitmap_set_none(&m);
        xlcfg_cpulist_resolve(&masks[i]->list,
                              nr_cpus < m.size * 8u ? nr_cpus : m.size * 8u,
                              cpu_to_node, m.map);
        for (uint32_t k = 0; k < hard->size; k++)
            hard->map[k] &= k < m.size ? m.map[k] : 0;
    }
    if (!any_cpu(hard, nr_cpus)) {
        xl_err("the hard affinity has no CPU left once xl.conf's CPU masks "
               "apply (vm.cpumask%s%s); use -i to ignore them",
               masks[1]->set ? ", " : "",
               !masks[1]->set                             ? ""
               : info.domain_type == LIBXL_DOMAIN_TYPE_PV ? "vm.pv.cpumask"
                                                          : "vm.hvm.cpumask");
        goto out;
    }
    rc = 0;
out:
    libxl_bitmap_dispose(&m);
    libxl_dominfo_dispose(&info);
    xl_conf_dispose(&conf);
    return rc;
}

int main_vcpu_pin(int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'},
        {"ignore-global-affinity-masks", no_argument, NULL, 'i'},
        {NULL, 0, NULL, 0},
    };
    libxl_bitmap hard_map, soft_map;
    libxl_bitmap *hard = NULL, *soft = NULL;
    libxl_vcpuinfo *info = NULL;
    unsigned *cpu_to_node = NULL, nr_cpus = 0;
    const char *vcpu_str, *hard_str, *soft_str;
    uint32_t domid;
    long vcpuid;
    bool force = false, ignore_masks = false;
    int opt, nb_vcpu = 0, nr_host = 0, rc = 1;

    libxl_bitmap_init(&hard_map);
    libxl_bitmap_init(&soft_map);

    while ((opt = xl_getopt(argc, argv, "fi", opts, 3, &rc)) != -1) {
        if (opt == XL_OPT_EXIT)
            return rc;
        if (opt == 'f')
            force = true;
        if (opt == 'i')
            ignore_masks = true;
    }
    if (xl_ctx_init())
        return 1;
    if (argc - optind > 4)
        return xl_usage("vcpu-pin");
    rc = 1;
    vcpu_str = argv[optind + 1];
    hard_str = argv[optind + 2];
    soft_str = argc - optind == 4 ? argv[optind + 3] : "-";

    vcpuid = xl_parse_vcpu_arg(vcpu_str);
    if (vcpuid == -2) {
        xl_err("invalid vCPU '%s': expected a vCPU number or 'all'", vcpu_str);
        return 1;
    }
    if (vcpuid == -1 && force) {
        xl_err("--force cannot be combined with 'all' as the vCPU");
        return 1;
    }
    if (!strcmp(hard_str, "-") && !strcmp(soft_str, "-")) {
        xl_err("nothing to do: both affinities are '-'");
        return 1;
    }
    if (xl_find_domain(argv[optind], &domid))
        return 1;
    if (host_topology(&cpu_to_node, &nr_cpus))
        goto out;

    if (strcmp(hard_str, "-")) {
        if (parse_affinity("hard", hard_str, cpu_to_node, nr_cpus, &hard_map))
            goto out;
        hard = &hard_map;
    }
    if (strcmp(soft_str, "-")) {
        if (parse_affinity("soft", soft_str, cpu_to_node, nr_cpus, &soft_map))
            goto out;
        soft = &soft_map;
    }

    if (xl_dryrun) {
        /* Same shape as the reference's -N output. */
        int online = libxl_get_online_cpus(ctx);

        if (online < 0) {
            xl_err("cannot count the host's online CPUs");
            goto out;
        }
        fputs("cpumap: ", stdout);
        if (hard)
            xl_cpumap_print(hard, (unsigned)online, stdout);
        else
            fputs("-", stdout);
        if (soft) {
            fputs(" ", stdout);
            xl_cpumap_print(soft, (unsigned)online, stdout);
        }
        putchar('\n');
        rc = 0;
        goto out;
    }
    if (hard && !ignore_masks && apply_masks(domid, cpu_to_node, nr_cpus, hard))
        goto out;
    if (hard && !any_cpu(hard, nr_cpus)) {
        xl_err("hard affinity '%s' has no CPU of this host (CPUs 0-%u)",
               hard_str, nr_cpus - 1);
        goto out;
    }

    if (vcpuid >= 0) {
        int err;

        if (force)
            err = libxl_set_vcpuaffinity_force(ctx, domid, (uint32_t)vcpuid,
                                               hard, soft);
        else
            err = libxl_set_vcpuaffinity(ctx, domid, (uint32_t)vcpuid, hard,
                                         soft);
        if (err) {
            xl_err("cannot set the affinity of vCPU %ld of domain %u "
                   "(libxl error %d)",
                   vcpuid, domid, err);
            goto out;
        }
    } else {
        info = libxl_list_vcpu(ctx, domid, &nb_vcpu, &nr_host);
        if (!info) {
            xl_err("cannot list the vCPUs of domain %u", domid);
            goto out;
        }
        if (libxl_set_vcpuaffinity_all(ctx, domid, (unsigned)nb_vcpu, hard,
                                       soft)) {
            xl_err("cannot set the affinity of every vCPU of domain %u", domid);
            goto out;
        }
    }
    rc = 0;

out:
    if (info)
        libxl_vcpuinfo_list_free(info, nb_vcpu);
    free(cpu_to_node);
    libxl_bitmap_dispose(&soft_map);
    libxl_bitmap_dispose(&hard_map);
    return rc;
}

int main_vcpu_set(int argc, char **argv)
{
    static const struct option opts[] = {
        {"ignore-host", no_argument, NULL, 'i'},
        {NULL, 0, NULL, 0},
    };
    libxl_bitmap map;
    libxl_dominfo info;
    const char *count_str;
    char *end;
    unsigned long count;
    uint32_t domid;
    bool check_host = true;
    int opt, err, rc = 1;

    libxl_bitmap_init(&map);
    libxl_dominfo_init(&info);

    while ((opt = xl_getopt(argc, argv, "i", opts, 2, &rc)) != -1) {
        if (opt == XL_OPT_EXIT)
            return rc;
        if (opt == 'i')
            check_host = false;
    }
    if (xl_ctx_init())
        return 1;
    if (argc - optind != 2)
        return xl_usage("vcpu-set");
    rc = 1;
    count_str = argv[optind + 1];
    errno = 0;
    count = strtoul(count_str, &end, 10);
    if (end == count_str || *end || errno || count == 0 || count > INT_MAX ||
        count_str[0] == '-') {
        xl_err("invalid vCPU count '%s': expected a number of at least 1",
               count_str);
        return 1;
    }
    if (xl_find_domain(argv[optind], &domid))
        return 1;

    if (check_host) {
        int host_cpus = libxl_get_max_cpus(ctx);

        if (host_cpus < 0 || libxl_domain_info(ctx, &info, domid)) {
            xl_err("cannot read domain %u or the host's CPU count", domid);
            goto out;
        }
        /* Growing past the host's CPUs overcommits; shrinking never
         * does, even on a domain that already has more. */
        if (count > info.vcpu_online && count > (unsigned long)host_cpus) {
            xl_err("%lu vCPUs would overcommit this host's %d physical "
                   "CPUs; use -i (--ignore-host) to do it anyway",
                   count, host_cpus);
            goto out;
        }
    }

    if (libxl_cpu_bitmap_alloc(ctx, &map, (int)count)) {
        xl_err("cannot allocate a vCPU map");
        goto out;
    }
    libxl_bitmap_set_none(&map);
    for (unsigned long i = 0; i < count; i++)
        libxl_bitmap_set(&map, (int)i);
    err = libxl_set_vcpuonline(ctx, domid, &map, NULL);
    if (err == ERROR_DOMAIN_NOTFOUND) {
        xl_err("domain %u does not exist", domid);
        goto out;
    } else if (err) {
        xl_err("cannot set domain %u to %lu vCPUs (libxl error %d; is it "
               "above the domain's maxvcpus?)",
               domid, count, err);
        goto out;
    }
    rc = 0;
out:
    libxl_dominfo_dispose(&info);
    libxl_bitmap_dispose(&map);
    return rc;
}
