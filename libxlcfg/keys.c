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

/* The names alone, for the suggestion engine. */
static const char *const key_names[] = {
#define KEY(name, type, min, max, flags, def, doc, note) name,
#include "keys_table.h"
#undef KEY
    NULL,
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

size_t xlcfg__key_index(const char *name)
{
    const xlcfg_keyinfo *ki = xlcfg_key_lookup(name);

    return ki ? (size_t)(ki - keys) : (size_t)-1;
}

const char *xlcfg_key_suggest(const char *name)
{
    if (!name)
        return NULL;
    return xlcfg__suggest(name, strlen(name), key_names);
}

const char *xlcfg_suggest(const char *word, const char *const *words)
{
    if (!word || !words)
        return NULL;
    return xlcfg__suggest(word, strlen(word), words);
}
