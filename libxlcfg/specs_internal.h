/* Helpers shared by the spec parsers (disk, vif, cpu list, pci, size). */
#ifndef LIBXLCFG_SPECS_INTERNAL_H
#define LIBXLCFG_SPECS_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

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

/* Levenshtein distance between a and b, for "did you mean" hints. Words
 * here are short (spec keys), so the O(n*m) table is small. */
static inline size_t xlcfg__spec_distance(const char *a, size_t la,
                                          const char *b)
{
    size_t lb = strlen(b), row[64], i, j;

    if (la >= 63 || lb >= 63)
        return (size_t)-1;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The closest word of a NULL-terminated list to key[0..len), or NULL if
 * none is within about a third of the key's length (at least 1, at most
 * 3 edits), so "acess" finds "access" but "foo" finds nothing. */
static inline const char *xlcfg__spec_suggest(const char *key, size_t len,
                                              const char *const *words)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, limit = len / 3;

    if (limit < 1)
        limit = 1;
    if (limit > 3)
        limit = 3;
    for (; *words; words++) {
        size_t wl = strlen(*words), dist;

        /* The distance is at least the length difference: skip early. */
        if ((wl > len ? wl - len : len - wl) > limit)
            continue;
        dist = xlcfg__spec_distance(key, len, *words);

        if (dist < best_d) {
            best_d = dist;
            best = *words;
        }
    }
    return best_d <= limit ? best : NULL;
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

#endif /* LIBXLCFG_SPECS_INTERNAL_H */
