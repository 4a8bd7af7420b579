/* cmd_checkconfig.c: `xl check-config`: validate config files, no Xen. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"
#include "xl.h"

/* Write s as a JSON string (quotes included). */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Check one file. Returns 0 if it has no error, 1 if it has, -1 when out
 * of memory. With json, appends one array element to stdout. */
static int check_one(const char *path, bool json, bool first)
{
    xlcfg_cfg *cfg = NULL;
    xlcfg_diags *d = NULL;
    char *text = NULL;
    int rc = -1, err;

    cfg = xlcfg_new();
    d = xlcfg_diags_new();
    if (!cfg || !d)
        goto out;

    err = xlcfg_read_file(cfg, path, d);
    if (err == ENOMEM)
        goto out;
    /* After syntax errors the statements that parsed are still checked,
     * so one run shows every problem of the file. */
    if (!err || err == EINVAL) {
        err = xlcfg_validate(cfg, d) == ENOMEM ? ENOMEM : err;
        if (err == ENOMEM)
            goto out;
    } else if (!xlcfg_diags_errors(d)) {
        /* The library names the file on I/O errors; be sure anyway. */
        if (xlcfg_diags_add(d, XLCFG_SEV_ERROR, NULL, NULL, "%s: %s", path,
                            strerror(err)))
            goto out;
    }
    rc = xlcfg_diags_errors(d) || err ? 1 : 0;

    if (json) {
        text = xlcfg_diags_format_json(d);
        if (!text) {
            rc = -1;
            goto out;
        }
        printf("%s{\"file\": ", first ? "" : ",\n ");
        json_string(stdout, path);
        printf(", \"ok\": %s, \"errors\": %zu, \"warnings\": %zu, "
               "\"diagnostics\": %s}",
               rc ? "false" : "true", xlcfg_diags_errors(d),
               xlcfg_diags_warnings(d), text);
    } else {
        if (xlcfg_diags_count(d)) {
            text = xlcfg_diags_format(d);
            if (!text) {
                rc = -1;
                goto out;
            }
            fflush(stdout);
            fputs(text, stderr);
        }
        if (!rc) {
            printf("%s: configuration OK\n", path);
            fflush(stdout);
        }
    }

out:
    free(text);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    return rc;
}

int main_check_config(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", opts, 1, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 'j':
            json = true;
            break;
        }
    }
    if (json)
        fputs("[", stdout);
    for (int i = optind; i < argc; i++) {
        int one = check_one(argv[i], json, i == optind);

        if (one < 0) {
            xl_err("check-config: out of memory");
            return 1;
        }
        if (one)
            rc = 1;
    }
    if (json)
        fputs("]\n", stdout);
    return rc;
}
