/* cpuarg.c: vcpu-pin's vCPU argument and mem-set/mem-max's SIZE. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cpuarg.h"
#include "libxlcfg.h"
#include "xl.h"

long xl_parse_vcpu_arg(const char *s)
{
    char *end;
    long v;

    if (!strcmp(s, "all"))
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < 0 || v > INT_MAX)
        return -2;
    return v;
}

int xl_parse_mem_kb(const char *cmd, const char *s, uint64_t *kb_r)
{
    xlcfg_diags *diags = xlcfg_diags_new();
    uint64_t bytes = 0;
    int rc = 1;

    if (!diags) {
        xl_err("out of memory");
        return 1;
    }
    if (xlcfg_parse_size(s, 'm', NULL, &bytes, diags)) {
        const xlcfg_diag *dg =
            xlcfg_diags_count(diags) ? xlcfg_diags_get(diags, 0) : NULL;

        xl_err("%s: invalid memory size '%s'%s%s (expected a number with an "
               "optional unit b, k, m, g or t; a bare number is MiB)",
               cmd, s, dg ? ": " : "", dg ? dg->message : "");
        goto out;
    }
    *kb_r = bytes / 1024;
    rc = 0;
out:
    xlcfg_diags_free(diags);
    return rc;
}
