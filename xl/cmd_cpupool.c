/* xl cpupool-list: the CPU pools, their CPUs, scheduler and domains. */
#include <stdio.h>
#include <stdlib.h>

#include <libxl_utils.h>

#include "cmdtable.h"
#include "commands.h"
#include "ctx.h"
#include "xl.h"

int main_cpupool_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cpus", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    libxl_cpupoolinfo *pools;
    const char *only = NULL;
    uint32_t only_id = 0;
    bool show_cpus = false;
    int opt, npools = 0, p, c, n, rc;

    while ((opt = xl_getopt(argc, argv, "c", opts, 0, &rc)) != -1) {
        if (opt == XL_OPT_EXIT)
            return rc;
        if (opt == 'c')
            show_cpus = true;
    }
    if (xl_ctx_init())
        return 1;
    if (argc - optind > 1)
        return xl_usage("cpupool-list");
    if (optind < argc) {
        only = argv[optind];
        if (libxl_name_to_cpupoolid(ctx, only, &only_id)) {
            xl_err("cpupool '%s' does not exist", only);
            return 1;
        }
    }

    pools = libxl_list_cpupool(ctx, &npools);
    if (!pools) {
        xl_err("cannot list CPU pools");
        return 1;
    }

    /* Column widths are the reference's, so the outputs diff clean. */
    printf("%-19s", "Name");
    puts(show_cpus ? "CPU list" : "CPUs   Sched     Active   Domain count");
    for (p = 0; p < npools; p++) {
        const libxl_cpupoolinfo *pool = &pools[p];

        if (only && pool->poolid != only_id)
            continue;
        printf("%-19s", pool->pool_name);
        n = 0;
        for (c = 0; c < (int)pool->cpumap.size * 8; c++) {
            if (!libxl_bitmap_test(&pool->cpumap, c))
                continue;
            if (show_cpus)
                printf("%s%d", n ? "," : "", c);
            n++;
        }
        if (!show_cpus)
            printf("%3d %9s       y       %4u", n,
                   libxl_scheduler_to_string(pool->sched), pool->n_dom);
        putchar('\n');
    }
    libxl_cpupoolinfo_list_free(pools, npools);
    return 0;
}
