/* cmd_list.c: list, vm-list, domid, domname: the domains and their names. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "cmdtable.h"
#include "commands.h"
#include "cpumap.h"
#include "ctx.h"
#include "liveconfig.h"
#include "sxp.h"
#include "xl.h"

/* libxl_json.h picks the yajl 2 API only when told; configure demands
 * yajl >= 2. */
#ifndef HAVE_YAJL_YAJL_VERSION_H
#define HAVE_YAJL_YAJL_VERSION_H 1
#endif
#include <libxl_json.h> /* after libxl.h, which it needs */
#include <xenctrl.h>

/* ------------------------------------------------------------------ list */

/* The figures `xl list` shows, from one getdomaininfolist hypercall. */
struct dom_row {
    uint32_t domid;
    uint32_t ssidref;
    uint32_t flags;  /* XEN_DOMINF_* */
    uint64_t mem_kb; /* current + outstanding, as the reference shows */
    uint64_t outstanding_kb;
    uint32_t vcpus_online;
    uint64_t cpu_time_ns;
    uint32_t cpupool;
    uint8_t handle[16];
};

/* Read all domains (first == -1) or one into a malloc'd array. Returns 0,
 * or 1 after a message. */
static int read_domains(xc_interface *xch, int64_t first,
                        struct dom_row **rows_r, size_t *n_r)
{
    enum { BATCH = 128 };
    xc_domaininfo_t *buf = NULL;
    struct dom_row *rows = NULL;
    size_t n = 0, cap = 0;
    uint32_t next = first < 0 ? 0 : (uint32_t)first;
    int rc = 1, got;

    buf = calloc(BATCH, sizeof(*buf));
    if (!buf)
        goto nomem;
    for (;;) {
        got = xc_domain_getinfolist(xch, next, BATCH, buf);
        if (got < 0) {
            xl_err("cannot list domains: %s", strerror(errno));
            goto out;
        }
        for (int i = 0; i < got; i++) {
            const xc_domaininfo_t *x = &buf[i];
            struct dom_row *r;

            if (first >= 0 && x->domain != first)
                break;
            if (n == cap) {
                struct dom_row *grown;

                cap = cap ? 2 * cap : BATCH;
                grown = realloc(rows, cap * sizeof(*rows));
                if (!grown)
                    goto nomem;
                rows = grown;
            }
            r = &rows[n++];
            r->domid = x->domain;
            r->ssidref = x->ssidref;
            r->flags = x->flags;
            /* Pages are 4 KiB on x86, as libxl assumes for these fields. */
            r->outstanding_kb = x->outstanding_pages * 4;
            r->mem_kb = x->tot_pages * 4 + r->outstanding_kb;
            r->vcpus_online = x->nr_online_vcpus;
            r->cpu_time_ns = x->cpu_time;
            r->cpupool = x->cpupool;
            memcpy(r->handle, x->handle, sizeof(r->handle));
        }
        if (first >= 0 || got < BATCH)
            break;
        next = buf[got - 1].domain + 1;
    }
    if (first >= 0 && !n) {
        xl_err("domain %" PRId64 " does not exist", first);
        goto out;
    }
    *rows_r = rows;
    *n_r = n;
    rows = NULL;
    rc = 0;
    goto out;
nomem:
    xl_err("out of memory");
out:
    free(buf);
    free(rows);
    return rc;
}

static void print_uuid(const uint8_t u[16])
{
    printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
           "%02x%02x%02x%02x%02x%02x",
           u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
           u[11], u[12], u[13], u[14], u[15]);
}

struct list_opts {
    bool verbose, context, cpupool, numa;
};

static int list_table(const struct list_opts *o, const struct dom_row *rows,
                      size_t n)
{
    /* Shutdown reason letters: poweroff, reboot, suspend, crash,
     * watchdog, soft reset. */
    static const char reason_letters[] = "-rscwS";
    libxl_physinfo physinfo;
    libxl_bitmap nodemap;
    int rc = 1;

    libxl_physinfo_init(&physinfo);
    libxl_bitmap_init(&nodemap);
    if (o->numa) {
        if (libxl_node_bitmap_alloc(ctx, &nodemap, 0) ||
            libxl_get_physinfo(ctx, &physinfo)) {
            xl_err("cannot read the host's NUMA information");
            goto out;
        }
    }

    printf("Name                                        ID   Mem VCPUs"
           "\tState\tTime(s)");
    if (o->verbose)
        printf("   UUID                            Reason-Code\t"
               "Security Label");
    if (o->context && !o->verbose)
        printf("   Security Label");
    if (o->cpupool)
        printf("         Cpupool");
    if (o->numa)
        printf(" NODE Affinity");
    putchar('\n');

    for (size_t i = 0; i < n; i++) {
        const struct dom_row *r = &rows[i];
        bool shutdown = r->flags & XEN_DOMINF_shutdown;
        unsigned reason = shutdown ? (r->flags >> XEN_DOMINF_shutdownshift) &
                                         XEN_DOMINF_shutdownmask
                                   : 0;
        char *name = libxl_domid_to_name(ctx, r->domid);

        /* "(null)" for a nameless (dying) domain, as glibc prints the
         * reference's NULL */
        printf(
            "%-40s %5u %5lu %5u     %c%c%c%c%c%c  %8.1f",
            name ? name : "(null)", r->domid, (unsigned long)(r->mem_kb / 1024),
            r->vcpus_online, r->flags & XEN_DOMINF_running ? 'r' : '-',
            r->flags & XEN_DOMINF_blocked ? 'b' : '-',
            r->flags & XEN_DOMINF_paused ? 'p' : '-', shutdown ? 's' : '-',
            reason < sizeof(reason_letters) - 1 ? reason_letters[reason] : '?',
            r->flags & XEN_DOMINF_dying ? 'd' : '-',
            /* via float, as the reference, for the same rounding */
            (double)(float)r->cpu_time_ns / 1e9);
        free(name);
        if (o->verbose) {
            putchar(' ');
            print_uuid(r->handle);
            if (shutdown)
                printf(" %8x", reason);
            else
                printf(" %8s", "-");
        }
        if (o->verbose || o->context) {
            char *label = NULL;
            size_t len = 0;

            if (r->ssidref &&
                libxl_flask_sid_to_context(ctx, r->ssidref, &label, &len))
                label = NULL;
            printf(" %16s", label ? label : "-");
            free(label);
        }
        if (o->cpupool) {
            char *pool = libxl_cpupoolid_to_name(ctx, r->cpupool);

            printf("%16s", pool ? pool : "-");
            free(pool);
        }
        if (o->numa) {
            putchar(' ');
            if (libxl_domain_get_nodeaffinity(ctx, r->domid, &nodemap))
                fputs("-", stdout);
            else
                xl_cpumap_print(&nodemap, physinfo.nr_nodes, stdout);
        }
        putchar('\n');
    }
    rc = 0;
out:
    libxl_bitmap_dispose(&nodemap);
    libxl_physinfo_dispose(&physinfo);
    return rc;
}

/* `list -l` with output_format = "sxp": one (domain ...) per domain, as
 * the reference prints them; it stops at a domain the form cannot show. */
static int list_long_sxp(const struct dom_row *rows, size_t n,
                         const libxl_domain_config *cfgs, const bool *ok)
{
    for (size_t i = 0; i < n; i++)
        if (ok[i] &&
            xl_sxp_print(stdout, (int)rows[i].domid, rows[i].handle, &cfgs[i]))
            return 1;
    return 0;
}

/* `list -l`: [{"domid": N, "config": {...}}, ...] through libxl's own
 * generator, so the text is the reference's byte for byte (or the SXP
 * form, see xl.conf's output_format); the configs come from
 * xl_retrieve_configs (liveconfig.c), all domains at once. */
static int list_long(xc_interface *xch, const struct dom_row *rows, size_t n,
                     enum xl_output_format format)
{
    yajl_gen hand = libxl_yajl_gen_alloc(NULL);
    yajl_gen_status s = yajl_gen_status_ok;
    struct xl_domref *refs = calloc(n ? n : 1, sizeof(*refs));
    libxl_domain_config *cfgs = calloc(n ? n : 1, sizeof(*cfgs));
    bool *ok = calloc(n ? n : 1, sizeof(*ok));
    const unsigned char *buf;
    size_t len;
    int rc = 1;

    if (!hand || !refs || !cfgs || !ok) {
        xl_err("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        refs[i].domid = rows[i].domid;
        refs[i].cpupool = rows[i].cpupool;
        memcpy(refs[i].handle, rows[i].handle, sizeof(refs[i].handle));
        libxl_domain_config_init(&cfgs[i]);
    }
    xl_retrieve_configs(xch, refs, n, cfgs, ok);
    if (format == XL_OUTPUT_SXP) {
        rc = list_long_sxp(rows, n, cfgs, ok);
        goto out;
    }
    s = yajl_gen_array_open(hand);
    /* A domain without stored config (e.g. not made by xl) is left out,
     * as the reference does. */
    for (size_t i = 0; i < n && s == yajl_gen_status_ok; i++) {
        if (!ok[i])
            continue;
        s = yajl_gen_map_open(hand);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_string(hand, (const unsigned char *)"domid", 5);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_integer(hand, rows[i].domid);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_string(hand, (const unsigned char *)"config", 6);
        if (s == yajl_gen_status_ok)
            s = libxl_domain_config_gen_json(hand, &cfgs[i]);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_map_close(hand);
    }
    if (s == yajl_gen_status_ok)
        s = yajl_gen_array_close(hand);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_get_buf(hand, &buf, &len);
    if (s != yajl_gen_status_ok) {
        xl_err("cannot format the domain configuration as JSON (yajl %d)",
               (int)s);
        goto out;
    }
    fwrite(buf, 1, len, stdout);
    putchar('\n');
    rc = 0;
out:
    for (size_t i = 0; cfgs && i < n; i++)
        libxl_domain_config_dispose(&cfgs[i]);
    free(cfgs);
    free(refs);
    free(ok);
    if (hand)
        yajl_gen_free(hand);
    return rc;
}

int main_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", no_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},
        {"context", no_argument, NULL, 'Z'},
        {"cpupool", no_argument, NULL, 'c'},
        {"numa", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct list_opts o = {0};
    struct dom_row *rows = NULL;
    xc_interface *xch = NULL;
    bool details = false;
    int64_t first = -1;
    size_t n = 0;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "lvZcn", opts, 0, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'l':
            details = true;
            break;
        case 'v':
            o.verbose = true;
            break;
        case 'Z':
            o.context = true;
            break;
        case 'c':
            o.cpupool = true;
            break;
        case 'n':
            o.numa = true;
            break;
        }
    }
    if (argc - optind > 1)
        return xl_usage("list");
    if (xl_ctx_init())
        return 1;
    if (optind < argc) {
        uint32_t domid;

        if (xl_find_domain(argv[optind], &domid))
            return 1;
        first = domid;
    }

    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        xl_err("cannot open the hypervisor interface: %s", strerror(errno));
        return 1;
    }
    rc = read_domains(xch, first, &rows, &n);
    if (!rc && details) {
        struct xl_conf conf;

        /* the reference reads xl.conf first: an error in it stops here */
        rc = xl_conf_load(&conf);
        if (!rc)
            rc = list_long(xch, rows, n, conf.output_format);
        xl_conf_dispose(&conf);
    } else if (!rc) {
        rc = list_table(&o, rows, n);
    }
    free(rows);
    xc_interface_close(xch);
    return rc;
}

int main_vm_list(int argc, char **argv)
{
    libxl_vminfo *vms;
    int opt, rc = 0, nb;

    while ((opt = xl_getopt(argc, argv, "", NULL, 0, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (optind < argc)
        return xl_usage("vm-list");
    if (xl_ctx_init())
        return 1;

    vms = libxl_list_vm(ctx, &nb);
    if (!vms) {
        xl_err("cannot list the guest domains");
        return 1;
    }
    printf("UUID                                  ID    name\n");
    for (int i = 0; i < nb; i++) {
        char *name = libxl_domid_to_name(ctx, vms[i].domid);

        printf(LIBXL_UUID_FMT "  %d    %-30s\n", LIBXL_UUID_BYTES(vms[i].uuid),
               vms[i].domid, name ? name : "");
        free(name);
    }
    libxl_vminfo_list_free(vms, nb);
    return 0;
}

/* ------------------------------------------------------- domid, domname */

int main_domid(int argc, char **argv)
{
    uint32_t domid;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind != 1)
        return xl_usage("domid");
    if (xl_ctx_init())
        return 1;
    if (libxl_name_to_domid(ctx, argv[optind], &domid)) {
        xl_err("domain '%s' not found", argv[optind]);
        return 1;
    }
    printf("%u\n", domid);
    return 0;
}

int main_domname(int argc, char **argv)
{
    unsigned long v;
    char *end, *name;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind != 1)
        return xl_usage("domname");
    if (xl_ctx_init())
        return 1;
    errno = 0;
    v = strtoul(argv[optind], &end, 10);
    if (errno || end == argv[optind] || *end || *argv[optind] == '-' ||
        v >= DOMID_FIRST_RESERVED) {
        xl_err("'%s' is not a valid domain id", argv[optind]);
        return 1;
    }
    name = libxl_domid_to_name(ctx, (uint32_t)v);
    if (!name) {
        xl_err("domain %lu not found", v);
        return 1;
    }
    printf("%s\n", name);
    free(name);
    return 0;
}
