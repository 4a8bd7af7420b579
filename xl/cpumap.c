/* cpumap.c: CPU and node bitmaps as "0-3,5", "all" or "none". */
#include <libxl_utils.h>

#include "cpumap.h"

void xl_cpumap_print(const libxl_bitmap *map, unsigned nbits, FILE *out)
{
    unsigned i = 0, first, runs = 0;

    while (i < nbits) {
        if (!libxl_bitmap_test(map, (int)i)) {
            i++;
            continue;
        }
        first = i;
        while (i < nbits && libxl_bitmap_test(map, (int)i))
            i++;
        if (first == 0 && i == nbits) {
            fputs("all", out);
            return;
        }
        fprintf(out, "%s%u", runs ? "," : "", first);
        if (i - 1 > first)
            fprintf(out, "-%u", i - 1);
        runs++;
    }
    if (!runs)
        fputs("none", out);
}
