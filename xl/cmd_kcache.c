/* cmd_kcache.c: `xl kernel-cache list|clear`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdtable.h"
#include "commands.h"
#include "kcache.h"
#include "kstore.h"
#include "xl.h"

/* ------------------------------------------------------------ command */

static int kc_list(const struct xl_kcache_opts *o)
{
    struct xl_kcache_entry *e = NULL;
    size_t n = 0, i, refused = 0;
    uint64_t total = 0;
    int rc;

    rc = xl_kcache_list(o, &e, &n);
    if (rc) {
        xl_err("cannot read the kernel cache %s: %s",
               o->dir ? o->dir : XL_KCACHE_DIR, strerror(rc));
        return 1;
    }
    printf("%-16s %10s  %-19s  %s\n", "Key", "Size(KiB)", "Last used",
           "Kernel");
    for (i = 0; i < n; i++) {
        char when[32] = "?", size[24];
        struct tm tm;
        if (localtime_r(&e[i].last_used, &tm))
            strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
        if (e[i].negative) {
            /* A refused kernel: handed to libxl as it is, not unpacked. */
            snprintf(size, sizeof(size), "refused");
            refused++;
        } else {
            snprintf(size, sizeof(size), "%llu",
                     (unsigned long long)(e[i].size >> 10));
        }
        printf("%-16.16s %10s  %-19s  %s%s%s%s\n", e[i].key, size, when,
               e[i].source ? e[i].source : "-", e[i].reason ? " (" : "",
               e[i].reason ? e[i].reason : "", e[i].reason ? ")" : "");
        total += e[i].size;
    }
    printf("%zu kernel%s", n - refused, n - refused == 1 ? "" : "s");
    if (refused)
        printf(" (and %zu refused)", refused);
    printf(", %llu MiB of %llu MiB in %s%s\n",
           (unsigned long long)(total >> 20),
           (unsigned long long)(o->max_bytes >> 20),
           o->dir ? o->dir : XL_KCACHE_DIR,
           o->enabled ? "" : " (cache off: xl.conf kernel_cache=0)");
    xl_kcache_entries_free(e, n);
    return 0;
}

int main_kernel_cache(int argc, char **argv)
{
    struct xl_kcache_opts o;
    struct xl_conf conf;
    const char *sub;
    size_t removed = 0, refused = 0;
    char *why = NULL;
    int opt, rc;

    while ((opt = xl_getopt(argc, argv, "", NULL, 1, &rc)) != -1) {
        if (opt == XL_OPT_EXIT)
            return rc;
    }
    sub = argv[optind];
    if (optind + 1 != argc || (strcmp(sub, "list") && strcmp(sub, "clear"))) {
        xl_err("kernel-cache: expected 'list' or 'clear'");
        return xl_usage(argv[0]);
    }
    if (xl_conf_load(&conf))
        return 1;
    xl_kcache_opts_from_conf(&o, &conf);
    /* Refuse a cache whose path others could swap, as create does. */
    if ((rc = xl_kcache_dir_check(&o, &why))) {
        xl_err("kernel cache %s is not safe: %s", o.dir ? o.dir : XL_KCACHE_DIR,
               why ? why : strerror(rc));
        free(why);
        xl_conf_dispose(&conf);
        return 1;
    }
    if (!strcmp(sub, "list")) {
        rc = kc_list(&o);
    } else if ((rc = xl_kcache_clear(&o, &removed, &refused))) {
        xl_err("cannot clear the kernel cache %s: %s",
               o.dir ? o.dir : XL_KCACHE_DIR, strerror(rc));
        rc = 1;
    } else {
        printf("removed %zu cached kernel%s", removed, removed == 1 ? "" : "s");
        if (refused)
            printf(" and %zu refused-kernel note%s", refused,
                   refused == 1 ? "" : "s");
        printf(" from %s\n", o.dir ? o.dir : XL_KCACHE_DIR);
    }
    xl_conf_dispose(&conf);
    return rc;
}
