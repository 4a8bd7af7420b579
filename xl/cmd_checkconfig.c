/* cmd_checkconfig.c: `xl check-config`: create -n's verdict on config files, no
 * Xen. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "domconfig.h"
#include "libxlcfg.h"
#include "xl.h"

/* Check one file through create -n's pipeline, translation included,
 * without a hypervisor (its host-facing checks are notes then). Returns 0 if it
 * has no error, 1 if it has, -1 when out of memory. With json, appends one
 * array element to stdout. */
static int check_one(const struct xl_conf *conf, const char *path, bool json,
                     bool first)
{
    struct xl_domconfig_src src = {.path = path};
    struct xl_domconfig r;
    xlcfg_diags *d;
    char *text = NULL, *name = NULL;
    int rc = -1, err;

    xl_domconfig_init(&r);
    err =
        xl_domconfig_load(NULL, conf, &src, XL_DOMCONFIG_REFERENCE_SCRIPTS, &r);
    d = r.diags;
    if (err == ENOMEM || !d)
        goto out;
    rc = err ? 1 : 0;

    if (json) {
        text = xlcfg_diags_format_json(d);
        if (!text) {
            rc = -1;
            goto out;
        }
        name = xlcfg_json_string(path);
        if (!name) {
            rc = -1;
            goto out;
        }
        printf(
            "%s{\"file\": %s, \"ok\": %s, \"errors\": %zu, \"warnings\": %zu, "
            "\"diagnostics\": %s}",
            first ? "" : ",\n ", name, rc ? "false" : "true",
            xlcfg_diags_errors(d), xlcfg_diags_warnings(d), text);
    } else {
        xl_print_diags(d);
        if (!rc) {
            printf("%s: configuration OK\n", path);
            fflush(stdout);
        }
    }

out:
    free(name);
    free(text);
    xl_domconfig_dispose(&r);
    return rc;
}

int main_check_config(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct xl_conf conf;
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
    /* create -n reads xl.conf; so does check-config, for one verdict. */
    if (xl_conf_load(&conf))
        return 1;
    if (json)
        fputs("[", stdout);
    for (int i = optind; i < argc; i++) {
        int one = check_one(&conf, argv[i], json, i == optind);

        if (one < 0) {
            xl_err("check-config: out of memory");
            rc = 1;
            break;
        }
        if (one)
            rc = 1;
    }
    if (json && rc >= 0)
        fputs("]\n", stdout);
    xl_conf_dispose(&conf);
    return rc;
}
