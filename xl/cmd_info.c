/* cmd_info.c: info, dmesg, uptime: the host, its hypervisor, domain uptimes. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "devmap.h" /* xl_scripts_dir() */
#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "xl.h"

/* ------------------------------------------------------------------ info */

/* `xl info FIELD` prints the value of the lines whose name starts with
 * FIELD, as the reference does; NULL prints every line. */
static const char *info_field;

static void info_line(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void info_line(const char *fmt, ...)
{
    char *line = NULL;
    const char *colon;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (!info_field)
        fputs(line, stdout);
    else if (!strncmp(line, info_field, strlen(info_field)) &&
             (colon = strchr(line, ':')) && colon[1] == ' ')
        fputs(colon + 2, stdout);
    free(line);
}

static void info_host(void)
{
    struct utsname u;

    if (uname(&u) < 0)
        return;
    info_line("host                   : %s\n", u.nodename);
    info_line("release                : %s\n", u.release);
    info_line("version                : %s\n", u.version);
    info_line("machine                : %s\n", u.machine);
}

static int info_phys(void)
{
    const libxl_version_info *v;
    libxl_physinfo p;
    libxl_bitmap freecpus;
    int nfree = 0;

    libxl_physinfo_init(&p);
    if (libxl_get_physinfo(ctx, &p)) {
        xl_err("cannot read the host's physical information");
        return 1;
    }
    info_line("nr_cpus                : %d\n", p.nr_cpus);
    info_line("max_cpu_id             : %d\n", p.max_cpu_id);
    info_line("nr_nodes               : %d\n", p.nr_nodes);
    info_line("cores_per_socket       : %d\n", p.cores_per_socket);
    info_line("threads_per_core       : %d\n", p.threads_per_core);
    info_line("cpu_mhz                : %d.%03d\n", p.cpu_khz / 1000,
              p.cpu_khz % 1000);
    info_line("hw_caps                : %08x:%08x:%08x:%08x:%08x:%08x:%08x:"
              "%08x\n",
              p.hw_cap[0], p.hw_cap[1], p.hw_cap[2], p.hw_cap[3], p.hw_cap[4],
              p.hw_cap[5], p.hw_cap[6], p.hw_cap[7]);
    info_line("virt_caps              :%s%s%s%s%s%s%s%s%s%s%s\n",
              p.cap_pv ? " pv" : "", p.cap_hvm ? " hvm" : "",
              p.cap_hvm && p.cap_hvm_directio ? " hvm_directio" : "",
              p.cap_pv && p.cap_hvm_directio ? " pv_directio" : "",
              p.cap_hap ? " hap" : "", p.cap_shadow ? " shadow" : "",
              p.cap_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
              p.cap_vmtrace ? " vmtrace" : "", p.cap_vpmu ? " vpmu" : "",
              p.cap_gnttab_v1 ? " gnttab-v1" : "",
              p.cap_gnttab_v2 ? " gnttab-v2" : "");
    v = libxl_get_version_info(ctx);
    if (v && v->pagesize) {
        uint64_t per_mb = (1u << 20) / v->pagesize;

        info_line("total_memory           : %" PRIu64 "\n",
                  p.total_pages / per_mb);
        info_line("free_memory            : %" PRIu64 "\n",
                  (p.free_pages - p.outstanding_pages) / per_mb);
        info_line("sharing_freed_memory   : %" PRIu64 "\n",
                  p.sharing_freed_pages / per_mb);
        info_line("sharing_used_memory    : %" PRIu64 "\n",
                  p.sharing_used_frames / per_mb);
        info_line("outstanding_claims     : %" PRIu64 "\n",
                  p.outstanding_pages / per_mb);
    }
    libxl_bitmap_init(&freecpus);
    if (!libxl_get_freecpus(ctx, &freecpus)) {
        nfree = libxl_bitmap_count_set(&freecpus);
        info_line("free_cpus              : %d\n", nfree);
    }
    libxl_bitmap_dispose(&freecpus);
    libxl_physinfo_dispose(&p);
    return 0;
}

static int info_topology(void)
{
    libxl_cputopology *cpus;
    libxl_pcitopology *pcis;
    libxl_numainfo *nodes;
    int n, valid = 0;

    cpus = libxl_get_cpu_topology(ctx, &n);
    if (!cpus) {
        xl_err("cannot read the CPU topology");
        return 1;
    }
    printf("cpu_topology           :\n");
    printf("cpu:    core    socket     node\n");
    for (int i = 0; i < n; i++)
        if (cpus[i].core != LIBXL_CPUTOPOLOGY_INVALID_ENTRY)
            printf("%3d:    %4d     %4d     %4d\n", i, cpus[i].core,
                   cpus[i].socket, cpus[i].node);
    libxl_cputopology_list_free(cpus, n);

    pcis = libxl_get_pci_topology(ctx, &n);
    if (!pcis) {
        xl_err("cannot read the PCI topology");
        return 1;
    }
    printf("device topology        :\n");
    printf("device           node\n");
    for (int i = 0; i < n; i++) {
        if (pcis[i].node == LIBXL_PCITOPOLOGY_INVALID_ENTRY)
            continue;
        printf("%04x:%02x:%02x.%01x      %d\n", pcis[i].seg, pcis[i].bus,
               (pcis[i].devfn >> 3) & 0x1f, pcis[i].devfn & 7, pcis[i].node);
        valid++;
    }
    if (!valid)
        printf("No device topology data available\n");
    libxl_pcitopology_list_free(pcis, n);

    nodes = libxl_get_numainfo(ctx, &n);
    if (!nodes) {
        xl_err("cannot read the NUMA information");
        return 1;
    }
    printf("numa_info              :\n");
    printf("node:    memsize    memfree    distances\n");
    for (int i = 0; i < n; i++) {
        if (nodes[i].size == LIBXL_NUMAINFO_INVALID_ENTRY)
            continue;
        printf("%4d:    %6" PRIu64 "     %6" PRIu64 "      %d", i,
               nodes[i].size >> 20, nodes[i].free >> 20,
               nodes[i].num_dists ? nodes[i].dists[0] : 0);
        for (int j = 1; j < nodes[i].num_dists; j++)
            printf(",%d", nodes[i].dists[j]);
        putchar('\n');
    }
    libxl_numainfo_list_free(nodes, n);
    return 0;
}

static int info_xen(void)
{
    const libxl_version_info *v = libxl_get_version_info(ctx);
    int sched;

    if (!v) {
        xl_err("cannot read the hypervisor's version information");
        return 1;
    }
    sched = libxl_get_scheduler(ctx);
    if (sched < 0) {
        xl_err("cannot read the hypervisor's scheduler");
        return 1;
    }
    info_line("xen_major              : %d\n", v->xen_version_major);
    info_line("xen_minor              : %d\n", v->xen_version_minor);
    info_line("xen_extra              : %s\n", v->xen_version_extra);
    info_line("xen_version            : %d.%d%s\n", v->xen_version_major,
              v->xen_version_minor, v->xen_version_extra);
    info_line("xen_caps               : %s\n", v->capabilities);
    info_line("xen_scheduler          : %s\n",
              libxl_scheduler_to_string((libxl_scheduler)sched));
    info_line("xen_pagesize           : %u\n", v->pagesize);
    info_line("platform_params        : virt_start=0x%" PRIx64 "\n",
              v->virt_start);
    info_line("xen_changeset          : %s\n", v->changeset);
    info_line("xen_commandline        : %s\n", v->commandline);
    info_line("cc_compiler            : %s\n", v->compiler);
    info_line("cc_compile_by          : %s\n", v->compile_by);
    info_line("cc_compile_domain      : %s\n", v->compile_domain);
    info_line("cc_compile_date        : %s\n", v->compile_date);
    info_line("build_id               : %s\n", v->build_id);
    return 0;
}

int main_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"numa", no_argument, NULL, 'n'},
        {"xen", no_argument, NULL, 'x'},
        {NULL, 0, NULL, 0},
    };
    bool numa = false, xen_only = false;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "nx", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'n':
            numa = true;
            break;
        case 'x':
            xen_only = true;
            break;
        }
    }
    if (argc - optind > 1 || (numa && optind < argc))
        return xl_usage("info");
    if (xl_ctx_init())
        return 1;
    info_field = optind < argc ? argv[optind] : NULL;

    if (xen_only)
        return info_xen();
    info_host();
    rc = info_phys();
    if (!rc && numa)
        rc = info_topology();
    if (!rc)
        rc = info_xen();
    if (!rc) {
        info_line("xend_config_format     : 4\n");
        /* Ours only: which hotplug scripts libxl is pointed at. */
        if (xl_verbose)
            info_line("xl_toolstack_scripts   : %s\n", xl_scripts_dir());
    }
    return rc;
}

/* ---------------------------------------------------------------- uptime */

static void format_uptime(char *buf, size_t len, unsigned long up, bool short_)
{
    unsigned long day = up / 86400, hour = up % 86400 / 3600,
                  min = up % 3600 / 60, sec = up % 60;
    int n = 0;

    if (day)
        n = snprintf(buf, len, "%lu day%s, ", day, day > 1 ? "s" : "");
    if (n < 0 || (size_t)n >= len)
        return;
    if (short_)
        snprintf(buf + n, len - (size_t)n, "%2lu:%02lu", hour, min);
    else
        snprintf(buf + n, len - (size_t)n, "%2lu:%02lu:%02lu", hour, min, sec);
}

static void print_uptime_row(uint32_t domid, unsigned long up, bool short_,
                             time_t now)
{
    char *name = libxl_domid_to_name(ctx, domid);
    char upbuf[64], nowbuf[32];
    struct tm tm;

    format_uptime(upbuf, sizeof(upbuf), up, short_);
    if (short_) {
        if (!localtime_r(&now, &tm) ||
            !strftime(nowbuf, sizeof(nowbuf), "%H:%M:%S", &tm))
            snprintf(nowbuf, sizeof(nowbuf), "??:??:??");
        printf(" %s up %s, %s (%u)\n", nowbuf, upbuf, name ? name : "", domid);
    } else {
        printf("%-33s %4u %s\n", name ? name : "", domid, upbuf);
    }
    free(name);
}

/* Dom0's uptime is the kernel's; a guest's is now minus its start time. */
static int domain_uptime(uint32_t domid, time_t now, unsigned long *up_r)
{
    if (domid == 0) {
        char buf[128];
        ssize_t got;
        int fd = open("/proc/uptime", O_RDONLY);

        if (fd < 0)
            return -1;
        got = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (got <= 0)
            return -1;
        buf[got] = '\0';
        *up_r = strtoul(buf, NULL, 10);
        return 0;
    }
    uint32_t start = libxl_vm_get_start_time(ctx, domid);

    if (start == (uint32_t)-1)
        return -1;
    *up_r = (unsigned long)(now - (time_t)start);
    return 0;
}

int main_uptime(int argc, char **argv)
{
    static const struct option opts[] = {
        {"short", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    libxl_vminfo *vms = NULL;
    uint32_t *doms = NULL;
    bool short_ = false;
    int opt, rc = 0, ndoms = 0, nb = 0;
    unsigned long up;
    time_t now;

    while ((opt = xl_getopt(argc, argv, "s", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 's':
            short_ = true;
            break;
        }
    }
    if (xl_ctx_init())
        return 1;
    if (optind < argc) {
        doms = calloc((size_t)(argc - optind), sizeof(*doms));
        if (!doms) {
            xl_err("out of memory");
            return 1;
        }
        for (int i = optind; i < argc; i++)
            if (xl_find_domain(argv[i], &doms[ndoms++])) {
                rc = 1;
                goto out;
            }
    } else {
        /* Dom0 first, then every guest. */
        vms = libxl_list_vm(ctx, &nb);
        if (!vms) {
            xl_err("cannot list the guest domains");
            rc = 1;
            goto out;
        }
        doms = calloc((size_t)nb + 1, sizeof(*doms));
        if (!doms) {
            xl_err("out of memory");
            rc = 1;
            goto out;
        }
        doms[ndoms++] = 0;
        for (int i = 0; i < nb; i++)
            if (vms[i].domid)
                doms[ndoms++] = vms[i].domid;
    }

    now = time(NULL);
    if (!short_)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    for (int i = 0; i < ndoms; i++) {
        if (domain_uptime(doms[i], now, &up)) {
            if (doms[i] == 0) {
                xl_err("cannot read dom0's uptime");
                rc = 1;
            }
            continue; /* a guest that went away meanwhile */
        }
        print_uptime_row(doms[i], up, short_, now);
    }
out:
    if (vms)
        libxl_vminfo_list_free(vms, nb);
    free(doms);
    return rc;
}

/* ----------------------------------------------------------------- dmesg */

int main_dmesg(int argc, char **argv)
{
    static const struct option opts[] = {
        {"clear", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    libxl_xen_console_reader *cr;
    bool clear = false;
    char *line;
    int opt, rc = 0, got;

    while ((opt = xl_getopt(argc, argv, "c", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'c':
            clear = true;
            break;
        }
    }
    if (optind < argc)
        return xl_usage("dmesg");
    if (xl_ctx_init())
        return 1;
    cr = libxl_xen_console_read_start(ctx, clear);
    if (!cr) {
        xl_err("cannot read the hypervisor's console buffer");
        return 1;
    }
    while ((got = libxl_xen_console_read_line(ctx, cr, &line)) > 0)
        fputs(line, stdout);
    libxl_xen_console_read_finish(ctx, cr);
    if (got < 0) {
        xl_err("cannot read the hypervisor's console buffer");
        return 1;
    }
    return 0;
}
