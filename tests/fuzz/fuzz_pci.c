/* fuzz_pci.c: libFuzzer target for xlcfg_parse_pci. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlcfg_loc loc = {"fuzz.cfg", 4, 8, NULL};
    xlcfg_diags *d = xlcfg_diags_new();
    char *spec = malloc(size + 1);
    xlcfg_pci pci;

    if (!d || !spec)
        abort();
    memcpy(spec, data, size);
    spec[size] = '\0';
    if (xlcfg_parse_pci(spec, &loc, &pci, d) == 0) {
        if (xlcfg_diags_errors(d))
            abort();
        if (pci.domain > 0xffff || pci.bus > 0xff || pci.dev > 0x1f ||
            pci.func > 7 || pci.vslot > 0x1f)
            abort();
    } else if (!xlcfg_diags_errors(d)) {
        abort();
    }
    xlcfg_pci_dispose(&pci);
    xlcfg_diags_free(d);
    free(spec);
    return 0;
}
