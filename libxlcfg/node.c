/* Syntax-tree nodes: the one place that builds and frees values, settings
 * and sources, so that the parser (parse.c) and the model (cfg.c) both
 * call down here and never into each other's freeing code. */
#include <errno.h>
#include <string.h>

#include "internal.h"

xlcfg_value *xlcfg__value_new(xlcfg_type type, const xlcfg_span *span,
                              unsigned source)
{
    xlcfg_value *v = calloc(1, sizeof(*v));

    if (!v)
        return NULL;
    v->type = type;
    v->span = *span;
    v->source = source;
    return v;
}

void xlcfg__value_free(xlcfg_value *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nitems; i++)
        xlcfg__value_free(v->items[i]);
    free(v->items);
    free(v->text);
    free(v);
}

void xlcfg__merged_free(xlcfg_value *v)
{
    if (!v)
        return;
    free(v->items);
    free(v->text);
    free(v);
}

int xlcfg__list_push(xlcfg_value *list, xlcfg_value *item)
{
    /* Capacity is implied by nitems: 4, then doubling at powers of two. */
    if (list->nitems == 0 ||
        (list->nitems >= 4 && (list->nitems & (list->nitems - 1)) == 0)) {
        size_t ncap = list->nitems ? list->nitems * 2 : 4;
        xlcfg_value **ni = realloc(list->items, ncap * sizeof(*ni));

        if (!ni)
            return ENOMEM;
        list->items = ni;
    }
    list->items[list->nitems++] = item;
    return 0;
}

xlcfg_setting *xlcfg__setting_new(const char *key, size_t klen)
{
    xlcfg_setting *s = calloc(1, sizeof(*s));

    if (!s || !(s->key = strndup(key, klen))) {
        free(s);
        return NULL;
    }
    return s;
}

void xlcfg__setting_free(xlcfg_setting *s)
{
    if (!s)
        return;
    xlcfg__free_const(s->key);
    xlcfg__value_free((xlcfg_value *)(uintptr_t)s->value);
    free(s);
}

int xlcfg__source_init(xlcfg__source *s, const char *name, const char *data,
                       size_t len)
{
    s->name = strdup(name ? name : "<input>");
    s->text = malloc(len + 1);
    if (!s->name || !s->text) {
        xlcfg__source_dispose(s);
        return ENOMEM;
    }
    if (len)
        memcpy(s->text, data, len);
    s->text[len] = '\0';
    s->len = len;
    return 0;
}

void xlcfg__source_dispose(xlcfg__source *s)
{
    free(s->name);
    free(s->text);
    s->name = s->text = NULL;
    s->len = 0;
}
