/* fuzz_cpulist.c: libFuzzer target for CPU list parsing and resolving. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned nodes[16] = {0, 0, 0, 0, 1, 1, 1, 1,
                                       2, 2, 2, 2, 3, 3, 3, 3};
    xlcfg_loc loc = {"fuzz.cfg", 3, 8, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    char *spec = malloc(size + 1);
    xlcfg_cpulist l;
    uint8_t map[2];
    char absent[24];

    if (!d || !spec)
        abort();
    memcpy(spec, data, size);
    spec[size] = '\0';
    if (xlcfg_parse_cpulist(spec, &loc, &l, d) == 0) {
        if (!l.nterms || xlcfg_diags_errors(d))
            abort();
        xlcfg_cpulist_resolve(&l, 16, nodes, map);
        xlcfg_cpulist_resolve(&l, 5, NULL, map);
        /* the names of absent CPUs always fit, truncated, terminated */
        xlcfg_cpulist_absent(&l, 5, NULL, absent, sizeof(absent));
        if (strlen(absent) >= sizeof(absent))
            abort();
    } else if (!xlcfg_diags_errors(d)) {
        abort();
    }
    xlcfg_cpulist_dispose(&l);
    xlcfg_diags_free(d);
    free(spec);
    return 0;
}
