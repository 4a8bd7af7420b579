/* fuzz_disk.c: libFuzzer target for xlcfg_parse_disk and vdev numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input's lines as command-line arguments (block-attach /
 * network-attach); spec is cut up in place. Returns how many. */
static size_t split_args(char *spec, const char **args, size_t max)
{
    size_t n = 0;
    char *p = spec;

    while (n < max) {
        char *nl = strchr(p, '\n');

        args[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

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
    d = xlcfg_diags_new();
    if (!d)
        abort();
    {
        const char *args[16];
        size_t n = split_args(spec, args, 16);
        xlcfg_disk a;

        if (xlcfg_parse_disk_args(n, args, &loc, &a, d) == 0) {
            if (!a.vdev || xlcfg_vdev_to_devid(a.vdev, NULL) < 0 ||
                xlcfg_diags_errors(d))
                abort();
        } else if (!xlcfg_diags_errors(d)) {
            abort();
        }
        xlcfg_disk_dispose(&a);
    }
    xlcfg_diags_free(d);
    free(spec);
    return 0;
}
