/* CPU lists ("0-3,^2", "node:1", "all") for cpus=, cpus_soft= and vcpu-pin. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>

#include "specs_internal.h"

/* CPU and node numbers above this are certainly typos; refusing them keeps
 * ranges from turning into very long loops in callers. */
#define CPU_NUMBER_MAX 1048575u

/* Parse a decimal number at *pp, advancing it. Returns 0, EINVAL if there
 * are no digits, ERANGE if the value exceeds CPU_NUMBER_MAX. */
static int parse_num(const char **pp, const char *end, unsigned *r)
{
    const char *p = *pp;
    unsigned long v = 0;

    if (p == end || !isdigit((unsigned char)*p))
        return EINVAL;
    for (; p < end && isdigit((unsigned char)*p); p++) {
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > CPU_NUMBER_MAX)
            return ERANGE;
    }
    *pp = p;
    *r = (unsigned)v;
    return 0;
}

static bool skip_prefix(const char **pp, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);

    if ((size_t)(end - *pp) < n || memcmp(*pp, prefix, n))
        return false;
    *pp += n;
    return true;
}

/* One term spec[b..e) (already trimmed, not empty). */
static int parse_term(const char *spec, size_t b, size_t e,
                      const xlcfg_loc *loc, xlcfg_cputerm *t, xlcfg_diags *d)
{
    const char *p = spec + b, *end = spec + e;
    const char *what;
    int rc;

    memset(t, 0, sizeof(*t));
    if (skip_prefix(&p, end, "^"))
        t->negate = true;
    if (skip_prefix(&p, end, "nodes:") || skip_prefix(&p, end, "node:"))
        t->nodes = true;
    what = t->nodes ? "node" : "CPU";

    if ((size_t)(end - p) == 3 && !memcmp(p, "all", 3)) {
        if (t->negate) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b,
                             "'^' removes CPUs from the set built so far; "
                             "'^all' would leave nothing",
                             "cannot combine '^' and 'all' in '%.*s'",
                             (int)(e - b), spec + b);
            return EINVAL;
        }
        t->all = true;
        return 0;
    }

    rc = parse_num(&p, end, &t->lo);
    if (!rc) {
        t->hi = t->lo;
        if (p < end && *p == '-') {
            p++;
            rc = parse_num(&p, end, &t->hi);
        }
    }
    if (rc == ERANGE) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, NULL,
                         "%s number too large in '%.*s'", what, (int)(e - b),
                         spec + b);
        return EINVAL;
    }
    if (rc || p != end) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, (size_t)(p - spec),
                         "terms are [^][node:|nodes:](all|N|N-M), "
                         "separated by commas",
                         "invalid %s range '%.*s'", what, (int)(e - b),
                         spec + b);
        return EINVAL;
    }
    if (t->lo > t->hi) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, NULL,
                         "%s range '%.*s' runs backwards (%u > %u)", what,
                         (int)(e - b), spec + b, t->lo, t->hi);
        return EINVAL;
    }
    return 0;
}

int xlcfg_parse_cpulist(const char *spec, const xlcfg_loc *loc,
                        xlcfg_cpulist *r, xlcfg_diags *d)
{
    size_t cap = 0;
    xlcfg__split sp;
    xlcfg__item it;
    int rc = 0;

    r->terms = NULL;
    r->nterms = 0;
    if (!spec)
        return EINVAL;

    /* Like the reference (strtok), empty terms such as a trailing comma
     * are skipped; surrounding blanks are tolerated. */
    xlcfg__split_init(&sp, spec, NULL);
    while (xlcfg__split_next(&sp, &it)) {
        xlcfg_cputerm term, *n;

        if (it.b == it.e)
            continue;
        if (parse_term(spec, it.b, it.e, loc, &term, d)) {
            rc = EINVAL;
            continue; /* report every bad term, not only the first */
        }
        n = xlcfg__grow(r->terms, &cap, r->nterms, sizeof(*n), 4);
        if (!n) {
            rc = ENOMEM;
            goto out;
        }
        r->terms = n;
        r->terms[r->nterms++] = term;
    }
    if (!rc && !r->nterms) {
        rc = EINVAL;
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "use \"all\" for no restriction", "empty CPU list");
    }
out:
    return rc;
}

void xlcfg_cpulist_dispose(xlcfg_cpulist *l)
{
    if (!l)
        return;
    free(l->terms);
    l->terms = NULL;
    l->nterms = 0;
}

static void set_bit(uint8_t *bitmap, unsigned i, bool on)
{
    if (on)
        bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
    else
        bitmap[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

static unsigned max_node_of(unsigned nr_cpus, const unsigned *cpu_to_node)
{
    unsigned cpu, max_node = 0;

    for (cpu = 0; cpu_to_node && cpu < nr_cpus; cpu++)
        if (cpu_to_node[cpu] != UINT_MAX && cpu_to_node[cpu] > max_node)
            max_node = cpu_to_node[cpu];
    return max_node;
}

int xlcfg_cpulist_resolve(const xlcfg_cpulist *l, unsigned nr_cpus,
                          const unsigned *cpu_to_node, uint8_t *bitmap)
{
    size_t i;
    unsigned cpu;

    memset(bitmap, 0, (nr_cpus + 7) / 8);
    for (i = 0; i < l->nterms; i++) {
        const xlcfg_cputerm *t = &l->terms[i];

        if (t->all) {
            for (cpu = 0; cpu < nr_cpus; cpu++)
                set_bit(bitmap, cpu, true);
            continue;
        }
        if (!t->nodes) {
            /* CPUs past the map are skipped, as libxl_bitmap_set does */
            for (cpu = t->lo; cpu <= t->hi && cpu < nr_cpus; cpu++)
                set_bit(bitmap, cpu, !t->negate);
            continue;
        }
        /* a node no CPU is on adds or removes nothing */
        for (cpu = 0; cpu < nr_cpus; cpu++) {
            unsigned node = cpu_to_node ? cpu_to_node[cpu] : 0;

            if (node >= t->lo && node <= t->hi)
                set_bit(bitmap, cpu, !t->negate);
        }
    }
    return 0;
}

size_t xlcfg_cpulist_absent(const xlcfg_cpulist *l, unsigned nr_cpus,
                            const unsigned *cpu_to_node, char *buf, size_t len)
{
    unsigned max_node = max_node_of(nr_cpus, cpu_to_node);
    size_t n = 0;

    if (len)
        buf[0] = 0;
    for (size_t i = 0; i < l->nterms; i++) {
        const xlcfg_cputerm *t = &l->terms[i];
        unsigned first, limit = t->nodes ? max_node + 1 : nr_cpus;

        if (t->all || t->hi < limit)
            continue;
        first = t->lo > limit ? t->lo : limit;
        if (len) {
            size_t used = strlen(buf);
            char end[16] = "";

            if (first != t->hi)
                snprintf(end, sizeof(end), "-%u", t->hi);
            snprintf(buf + used, len - used, "%s%s%u%s", n ? ", " : "",
                     t->nodes ? "node " : "", first, end);
        }
        n++;
    }
    return n;
}
