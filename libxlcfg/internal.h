/* libxlcfg internals shared between the library's own source files. */
#ifndef LIBXLCFG_INTERNAL_H
#define LIBXLCFG_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "libxlcfg.h"

/* A growable diagnostics list; errors, warnings and notes are capped
 * separately (XLCFG_DIAG_MAX each). */
struct xlcfg_diags {
    xlcfg_diag *v;
    size_t n, cap;
    size_t count[3];    /* recorded per severity */
    bool suppressed[3]; /* the "further ... suppressed" note was added */
};

int xlcfg__diags_addv(xlcfg_diags *d, xlcfg_severity sev, const xlcfg_loc *loc,
                      const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* One source text read into a cfg; the text is kept whole so spans can be
 * used to rewrite it byte for byte. */
typedef struct xlcfg__source {
    char *name;
    char *text; /* NUL-terminated copy of the data */
    size_t len;
} xlcfg__source;

/* The spec lists xlcfg_validate() parses and keeps, so that translation
 * maps the parsed structs and nothing parses a spec twice. items[i] is
 * the struct of item i of the key's effective list (item 0: a value that
 * is not a list), NULL where that item did not parse. */
enum xlcfg__spec_kind {
    XLCFG__SPEC_DISK,
    XLCFG__SPEC_VIF,
    XLCFG__SPEC_PCI,
    XLCFG__SPEC_CPUS,
    XLCFG__SPEC_CPUS_SOFT,
    XLCFG__NSPEC
};

struct xlcfg__kept {
    void **items;
    size_t n;
};

/* Free what validation kept (validate.c); the cfg's sources changed or
 * the cfg goes away. */
void xlcfg__kept_free(xlcfg_cfg *cfg);

/* What the getters were asked for since xlcfg_reads_reset() (cfg.c). */
struct xlcfg__reads {
    unsigned char *known; /* one flag per entry of the key table */
    char **other;         /* names outside the table, first asked first */
    size_t nother, capother;
    int err; /* ENOMEM: a name could not be recorded (sticky) */
};

/* Record that `key` was asked for, if cfg is recording (cfg.c). */
void xlcfg__note_read(const xlcfg_cfg *cfg, const char *key);

/* Index of `name` in the key table, or (size_t)-1 (keys.c). */
size_t xlcfg__key_index(const char *name);

/* A value node with its ownership: every node is owned by exactly one
 * setting (items by their list), or by the cfg's merged-values list. */
struct xlcfg_cfg {
    xlcfg__source *sources;
    size_t nsources;
    xlcfg_setting **settings;
    size_t nsettings, capsettings;
    /* Effective values: sorted by key for bsearch; rebuilt lazily. */
    struct xlcfg__eff *eff;
    size_t neff;
    bool eff_valid;
    /* Keys of statements dropped for a syntax error. */
    char **failed_keys;
    size_t nfailed;
    /* Values synthesised by += merging, freed with the cfg. */
    xlcfg_value **merged;
    size_t nmerged, capmerged;
    /* Device specs parsed by xlcfg_validate() (validate.c). */
    struct xlcfg__kept kept[XLCFG__NSPEC];
    /* Read tracking: NULL until xlcfg_reads_reset(). A pointer, so that
     * getters on a const cfg can record (see libxlcfg.h). */
    struct xlcfg__reads *reads;
};

struct xlcfg__eff {
    const char *key;
    const xlcfg_value *value;
    const xlcfg_setting *setting; /* the last statement that set the key */
};

/* The public structs expose const strings the library owns; freeing them
 * needs the qualifier dropped without tripping -Wcast-qual. */
static inline void xlcfg__free_const(const void *p)
{
    free((void *)(uintptr_t)p);
}

void xlcfg__value_free(xlcfg_value *v);
void xlcfg__setting_free(xlcfg_setting *s);

/* Parse source `src` of cfg, appending its statements (parse.c). */
int xlcfg__parse(xlcfg_cfg *cfg, unsigned src, xlcfg_diags *d);

/* Whether a statement for `key` was dropped for a syntax error. */
bool xlcfg__key_failed(const xlcfg_cfg *cfg, const char *key);

/* The effective entry of a key, NULL if unset (cfg.c). */
const struct xlcfg__eff *xlcfg__eff_find(const xlcfg_cfg *cfg, const char *key);

/* Start of the line containing byte `off` of source `src`. */
const char *xlcfg__line_start(const xlcfg_cfg *cfg, unsigned src, size_t off);

/* strtoll base 0 over the whole text: 0, EINVAL or ERANGE (getters.c). */
int xlcfg__number(const char *text, long long *r);
/* A number or a string holding one, as the value of `key`. */
int xlcfg__value_long(const xlcfg_cfg *cfg, const char *key,
                      const xlcfg_value *v, long long *r, xlcfg_diags *d);

/* The documented default of a key from the table (keys.c), for help and
 * the man page; NULL if ki is not an entry of the table. */
const char *xlcfg_key_default(const xlcfg_keyinfo *ki);

/* Levenshtein distance, capped at `cap + 1` for speed. */
size_t xlcfg__edit_distance(const char *a, const char *b, size_t cap);

/* ------------------------------------------------------------------------
 * Shared machinery (node.c, strbuf.c, suggest.c). Kept in this block of
 * its own, after the declarations above.
 */

/* Syntax-tree nodes (node.c). A value or setting is freed with everything
 * it owns; a merged value (cfg.c) borrows its items, so only its own
 * arrays go. The constructors return NULL on out of memory. */
xlcfg_value *xlcfg__value_new(xlcfg_type type, const xlcfg_span *span,
                              unsigned source);
void xlcfg__merged_free(xlcfg_value *v);
/* Append item to a LIST value, which then owns it: 0 or ENOMEM. */
int xlcfg__list_push(xlcfg_value *list, xlcfg_value *item);
/* A setting with a copy of key[0..klen) and nothing else set. */
xlcfg_setting *xlcfg__setting_new(const char *key, size_t klen);
/* Copy name ("<input>" if NULL) and data[0..len) into s: 0 or ENOMEM (s
 * then holds nothing). */
int xlcfg__source_init(xlcfg__source *s, const char *name, const char *data,
                       size_t len);
void xlcfg__source_dispose(xlcfg__source *s);

/* "Did you mean" (suggest.c), one rule for config keys and spec options:
 * the candidate closest to word[0..len) by optimal string alignment
 * distance (an insertion, deletion, substitution or swap of two adjacent
 * characters is one edit; ASCII case is ignored), if it is within
 * xlcfg__suggest_limit(len) edits: a third of the length, at least 1 and
 * at most 2. A tie goes to the earlier candidate. `words` ends with NULL;
 * returns one of them or NULL. */
const char *xlcfg__suggest(const char *word, size_t len,
                           const char *const *words);
size_t xlcfg__suggest_limit(size_t len);
/* The suggestion as a hint, "did you mean 'x'?", written into hint[size]
 * and returned; NULL (hint untouched) if there is none. */
const char *xlcfg__did_you_mean(char *hint, size_t size, const char *word,
                                size_t len, const char *const *words);

/* A growable NUL-terminated string (strbuf.c). Start from {0}; capacity
 * doubles as it grows. A failed allocation sets `err` (ENOMEM), which
 * sticks: later appends do nothing, so a caller checks once at the end. */
typedef struct xlcfg__buf {
    char *s; /* NULL until something is added or reserved */
    size_t len, cap;
    int err; /* 0, or ENOMEM (EINVAL if a format failed) */
} xlcfg__buf;

/* Room for n more bytes and the NUL: 0, or the sticky error. */
int xlcfg__buf_reserve(xlcfg__buf *b, size_t n);
void xlcfg__buf_add(xlcfg__buf *b, const void *p, size_t n);
void xlcfg__buf_str(xlcfg__buf *b, const char *s);
void xlcfg__buf_char(xlcfg__buf *b, char c);
void xlcfg__buf_printf(xlcfg__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The string, which the caller frees ("" if nothing was added), or NULL
 * after an error; either way b is empty again. */
char *xlcfg__buf_take(xlcfg__buf *b);
void xlcfg__buf_free(xlcfg__buf *b);

/* Room for element n of array v (size bytes each) with *cap allocated,
 * doubling from `first`: returns the array, moved or not, and updates
 * *cap; NULL on out of memory (v is then unchanged). */
void *xlcfg__grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

#endif /* LIBXLCFG_INTERNAL_H */
