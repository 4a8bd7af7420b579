/* fuzz_disk.c: libFuzzer target for xlcfg_parse_disk and vdev numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlcfg_loc loc = {"fuzz.cfg", 1, 9, "disk = [ ... ]"};
    xlcfg_diags *d = xlcfg_diags_new();
    char *spec = malloc(size + 1);
    xlcfg_disk disk;
    char *text;

    if (!d || !spec)
        abort();
    memcpy(spec, data, size);
    spec[size] = '\0';
    if (xlcfg_parse_disk(spec, &loc, &disk, d) == 0) {
        /* What the parser accepts, libxl must be able to number. */
        if (!disk.vdev || xlcfg_vdev_to_devid(disk.vdev, NULL) < 0)
            abort();
        if (!disk.target && !disk.cdrom)
            abort();
        if (xlcfg_diags_errors(d))
            abort();
    } else if (!xlcfg_diags_errors(d)) {
        abort(); /* every refusal explains itself */
    }
    xlcfg_vdev_to_devid(spec, NULL);
    text = xlcfg_diags_format(d);
    free(text);
    xlcfg_disk_dispose(&disk);
    xlcfg_diags_free(d);
    free(spec);
    return 0;
}
