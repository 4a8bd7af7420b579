/* Helpers shared by the spec parsers (disk, vif, cpu list, pci, size). */
#ifndef LIBXLCFG_SPECS_INTERNAL_H
#define LIBXLCFG_SPECS_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Report a problem `offset` bytes into a spec that starts at `loc`: the
 * column moves by the offset only when the start column is known. The
 * message is formatted here so that diag.c needs no varargs entry point
 * beyond the public one. Returns 0 or ENOMEM. */
static inline int xlcfg__spec_diag(xlcfg_diags *d, xlcfg_severity sev,
                                   const xlcfg_loc *loc, size_t offset,
                                   const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static inline int xlcfg__spec_diag(xlcfg_diags *d, xlcfg_severity sev,
                                   const xlcfg_loc *loc, size_t offset,
                                   const char *hint, const char *fmt, ...)
{
    xlcfg_loc at;
    char buf[512];
    va_list ap;

    if (!d)
        return 0;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (!loc)
        return xlcfg_diags_add(d, sev, NULL, hint, "%s", buf);
    at = *loc;
    if (at.col)
        at.col += (unsigned)offset;
    return xlcfg_diags_add(d, sev, &at, hint, "%s", buf);
}

/* Replace *dst with a copy of src[0..len). Returns 0 or ENOMEM. */
static inline int xlcfg__spec_setstr(char **dst, const char *src, size_t len)
{
    char *copy = malloc(len + 1);

    if (!copy)
        return ENOMEM;
    memcpy(copy, src, len);
    copy[len] = '\0';
    free(*dst);
    *dst = copy;
    return 0;
}

/* ------------------------------------------------------------------------
 * Items of "item,item,key=value" specs (specsplit.c). Every offset is from
 * the start of the spec, so diagnostics can put their column there.
 */
typedef struct xlcfg__item {
    size_t b;   /* first byte, leading blanks skipped */
    size_t e;   /* end with trailing blanks (isspace) trimmed; b <= e */
    size_t end; /* end as written: the ',' after the item, or the spec's end */
} xlcfg__item;

typedef struct xlcfg__split {
    const char *spec;
    size_t len, pos;
    const char *lead; /* blanks skipped before an item; NULL: isspace() */
    bool started;
} xlcfg__split;

/* Items are separated by ','. An empty spec is one empty item, and a
 * trailing comma does not start one; empty items otherwise are yielded
 * (each format decides: skipped, an error, or an empty positional). */
void xlcfg__split_init(xlcfg__split *sp, const char *spec, const char *lead);
/* The next item, or false after the last. */
bool xlcfg__split_next(xlcfg__split *sp, xlcfg__item *it);
/* The rest of the spec from `at` is one item, commas included, less one
 * trailing comma (disk's target=); there is no item after it. */
void xlcfg__split_rest(xlcfg__split *sp, size_t at, xlcfg__item *it);

#endif /* LIBXLCFG_SPECS_INTERNAL_H */
