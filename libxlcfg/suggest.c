/* The "did you mean" engine, for config keys and spec options alike. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Optimal string alignment distance between a[0..la) and b[0..lb)
 * (Levenshtein plus adjacent transpositions, the commonest typo), ASCII
 * case ignored if `fold`; anything above `cap` is reported as cap + 1. */
static size_t osa(const char *a, size_t la, const char *b, size_t lb,
                  size_t cap, bool fold)
{
    size_t rows[3][64];
    size_t *pp, *prev, *cur;

#define SAME(x, y)                                                             \
    (fold ? tolower((unsigned char)(x)) == tolower((unsigned char)(y))         \
          : (x) == (y))
    if (la >= 63 || lb >= 63) {
        size_t i;

        for (i = 0; la == lb && i < la && SAME(a[i], b[i]); i++)
            ;
        return la == lb && i == la ? 0 : cap + 1;
    }
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    pp = rows[0];
    prev = rows[1];
    cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t best = cur[0] = i;

        for (size_t j = 1; j <= lb; j++) {
            size_t v = prev[j - 1] + !SAME(a[i - 1], b[j - 1]);

            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && SAME(a[i - 1], b[j - 2]) &&
                SAME(a[i - 2], b[j - 1]) && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
        {
            size_t *t = pp;

            pp = prev;
            prev = cur;
            cur = t;
        }
    }
#undef SAME
    return prev[lb];
}

size_t xlcfg__edit_distance(const char *a, const char *b, size_t cap)
{
    return osa(a, strlen(a), b, strlen(b), cap, false);
}

size_t xlcfg__suggest_limit(size_t len)
{
    size_t limit = len / 3;

    return limit < 1 ? 1 : limit > 2 ? 2 : limit;
}

const char *xlcfg__suggest(const char *word, size_t len,
                           const char *const *words)
{
    size_t limit = xlcfg__suggest_limit(len), best_d = limit + 1;
    const char *best = NULL;

    if (!len)
        return NULL;
    for (; *words; words++) {
        size_t dist = osa(word, len, *words, strlen(*words), limit, true);

        if (dist < best_d) {
            best_d = dist;
            best = *words;
        }
    }
    return best;
}

const char *xlcfg__did_you_mean(char *hint, size_t size, const char *word,
                                size_t len, const char *const *words)
{
    const char *s = xlcfg__suggest(word, len, words);

    if (!s)
        return NULL;
    snprintf(hint, size, "did you mean '%s'?", s);
    return hint;
}
