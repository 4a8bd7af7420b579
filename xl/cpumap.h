/* cpumap.h: CPU and NUMA node bitmaps printed as the reference xl prints
 * them (vcpu-list's affinities, list -n's node affinity). */
#ifndef XL_CPUMAP_H
#define XL_CPUMAP_H

#include <stdio.h>

#include <libxl.h>

/* Prints the first nbits bits of map to out as comma-separated runs "a"
 * or "a-b" ("0-3,5"), "all" when every one of them is set, "none" when
 * none is. Bits at or past nbits are ignored, so a byte-sized map prints
 * the same for a host of any size. */
void xl_cpumap_print(const libxl_bitmap *map, unsigned nbits, FILE *out);

#endif
