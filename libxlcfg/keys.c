/* The known-key table (data), its lookup and "did you mean" suggestions. */
#include <string.h>

#include "internal.h"

static const xlcfg_keyinfo keys[] = {
#define KEY(name, type, min, max, flags, def, doc, note)                       \
    {name, type, min, max, flags, doc, note},
#include "keys_table.h"
#undef KEY
};

static const char *const defaults[] = {
#define KEY(name, type, min, max, flags, def, doc, note) def,
#include "keys_table.h"
#undef KEY
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

size_t xlcfg_keys(const xlcfg_keyinfo **table_r)
{
    if (table_r)
        *table_r = keys;
    return NKEYS;
}

const char *xlcfg_key_default(const xlcfg_keyinfo *ki)
{
    if (!ki || ki < keys || ki >= keys + NKEYS)
        return NULL;
    return defaults[ki - keys];
}

static int cmp_key(const void *name, const void *ki)
{
    return strcmp(name, ((const xlcfg_keyinfo *)ki)->name);
}

const xlcfg_keyinfo *xlcfg_key_lookup(const char *name)
{
    if (!name)
        return NULL;
    return bsearch(name, keys, NKEYS, sizeof(keys[0]), cmp_key);
}

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, the commonest typo), giving up above `cap`. */
size_t xlcfg__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t rows[3][64];
    size_t *pp, *prev, *cur;

    if (la >= 63 || lb >= 63)
        return strcmp(a, b) ? cap + 1 : 0;
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
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = prev[j - 1] + cost;

            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
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
    return prev[lb];
}

const char *xlcfg_key_suggest(const char *name)
{
    size_t len, cap, best = (size_t)-1;
    const char *r = NULL;

    if (!name || !*name)
        return NULL;
    len = strlen(name);
    /* Short names are too easy to match by accident. */
    cap = len <= 3 ? 1 : len <= 5 ? 1 : 2;
    for (size_t i = 0; i < NKEYS; i++) {
        size_t dist;

        if (strcasecmp(name, keys[i].name) == 0)
            return keys[i].name;
        dist = xlcfg__edit_distance(name, keys[i].name, cap);
        if (dist <= cap && dist < best) {
            best = dist;
            r = keys[i].name;
        }
    }
    return r;
}
