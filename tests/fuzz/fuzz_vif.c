/* fuzz_vif.c: libFuzzer target for xlcfg_parse_vif and xlcfg_parse_rate. */
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

/* The group bit: lowest bit of the first byte's value (not of its text). */
static int multicast(const char *mac)
{
    char first[3] = {mac[0], mac[1], '\0'};

    return (int)(strtoul(first, NULL, 16) & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlcfg_loc loc = {"fuzz.cfg", 2, 8, "vif = [ ... ]"};
    xlcfg_diags *d = xlcfg_diags_new();
    char *spec = malloc(size + 1);
    uint64_t bytes;
    uint32_t usecs;
    xlcfg_vif vif;
    char *text;

    if (!d || !spec)
        abort();
    memcpy(spec, data, size);
    spec[size] = '\0';
    if (xlcfg_parse_vif(spec, &loc, &vif, d) == 0) {
        if (xlcfg_diags_errors(d))
            abort();
        if (vif.mac && (strlen(vif.mac) != 17 || multicast(vif.mac)))
            abort(); /* normalised, never multicast */
        if (vif.rate && !vif.rate_interval_usecs)
            abort();
    } else if (!xlcfg_diags_errors(d)) {
        abort();
    }
    if (xlcfg_parse_rate(spec, NULL, &bytes, &usecs, NULL) == 0 && !usecs)
        abort();
    text = xlcfg_diags_format_json(d);
    free(text);
    xlcfg_vif_dispose(&vif);
    xlcfg_diags_free(d);
    d = xlcfg_diags_new();
    if (!d)
        abort();
    {
        const char *args[16];
        size_t n = split_args(spec, args, 16);
        xlcfg_vif a;

        if (xlcfg_parse_vif_args(n, args, &loc, &a, d) == 0) {
            if (xlcfg_diags_errors(d))
                abort();
        } else if (!xlcfg_diags_errors(d)) {
            abort();
        }
        xlcfg_vif_dispose(&a);
    }
    xlcfg_diags_free(d);
    free(spec);
    return 0;
}
