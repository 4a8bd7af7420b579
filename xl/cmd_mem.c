/* xl mem-set and mem-max: a domain's balloon target and its ceiling. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmdtable.h"
#include "commands.h"
#include "cpuarg.h"
#include "ctx.h"
#include "xl.h"

/* Parse "[-h] <Domain> <SIZE>" common to both commands. */
static int mem_args(int argc, char **argv, const char *cmd, uint32_t *domid_r,
                    uint64_t *kb_r, int *exit_r)
{
    int opt;

    while ((opt = xl_getopt(argc, argv, "", NULL, 2, exit_r)) != -1)
        if (opt == XL_OPT_EXIT)
            return 1;
    if (xl_ctx_init()) {
        *exit_r = 1;
        return 1;
    }
    if (argc - optind != 2) {
        *exit_r = xl_usage(cmd);
        return 1;
    }
    *exit_r = 1;
    if (xl_parse_mem_kb(cmd, argv[optind + 1], kb_r))
        return 1;
    if (xl_find_domain(argv[optind], domid_r))
        return 1;
    return 0;
}

int main_mem_set(int argc, char **argv)
{
    uint32_t domid;
    uint64_t kb;
    int rc;

    if (mem_args(argc, argv, "mem-set", &domid, &kb, &rc))
        return rc;
    if (kb > INT64_MAX) {
        xl_err("mem-set: size '%s' is too large", argv[argc - 1]);
        return 1;
    }
    /* enforce=1: also lower the hypervisor's limit, as the reference. */
    if (libxl_set_memory_target(ctx, domid, (int64_t)kb, 0, 1)) {
        xl_err("cannot set the memory target of domain %u to %" PRIu64
               " KiB (%s): is it above the domain's maximum (mem-max)?",
               domid, kb, argv[argc - 1]);
        return 1;
    }
    return 0;
}

int main_mem_max(int argc, char **argv)
{
    uint32_t domid;
    uint64_t kb;
    int rc;

    if (mem_args(argc, argv, "mem-max", &domid, &kb, &rc))
        return rc;
    if (libxl_domain_setmaxmem(ctx, domid, kb)) {
        xl_err("cannot set the maximum memory of domain %u to %" PRIu64
               " KiB (%s): it may not go below the current target",
               domid, kb, argv[argc - 1]);
        return 1;
    }
    return 0;
}
