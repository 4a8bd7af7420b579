/* Golden-corpus helper: read + validate each config, print its diagnostics. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

/* Usage: golden [--json] FILE...; prints every diagnostic as xl
 * check-config would; exit 1 if any file has an error, 2 on misuse. */
int main(int argc, char **argv)
{
    int status = 0;
    int first = 1;
    bool json = false;

    if (argc > 1 && strcmp(argv[1], "--json") == 0) {
        json = true;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: golden [--json] FILE...\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        xlcfg_cfg *cfg = xlcfg_new();
        xlcfg_diags *d = xlcfg_diags_new();
        char *out;
        int rc;

        if (!cfg || !d) {
            fprintf(stderr, "golden: out of memory\n");
            return 2;
        }
        rc = xlcfg_read_file(cfg, argv[i], d);
        if (rc == 0 || rc == EINVAL)
            if (xlcfg_validate(cfg, d) && !rc)
                rc = EINVAL;
        out = json ? xlcfg_diags_format_json(d) : xlcfg_diags_format(d);
        if (!out) {
            fprintf(stderr, "golden: out of memory\n");
            return 2;
        }
        fputs(out, stdout);
        if (json)
            fputc('\n', stdout);
        free(out);
        if (rc || xlcfg_diags_errors(d))
            status = 1;
        xlcfg_diags_free(d);
        xlcfg_free(cfg);
    }
    return status;
}
