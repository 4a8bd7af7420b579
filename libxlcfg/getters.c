/* Typed getters over effective values, with diagnostics at the value. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *found_name(const xlcfg_value *v)
{
    switch (v->type) {
    case XLCFG_STRING:
        return "a string";
    case XLCFG_NUMBER:
        return "a number";
    case XLCFG_LIST:
        return "a list";
    }
    return "a value";
}

int xlcfg__number(const char *text, long long *r)
{
    char *ep;
    long long l;

    errno = 0;
    l = strtoll(text, &ep, 0);
    if (ep == text || *ep)
        return EINVAL;
    if (errno == ERANGE)
        return ERANGE;
    *r = l;
    return 0;
}

int xlcfg__value_long(const xlcfg_cfg *cfg, const char *key,
                      const xlcfg_value *v, long long *r, xlcfg_diags *d)
{
    xlcfg_loc loc;
    int rc;

    xlcfg_value_loc(cfg, v, &loc);
    if (v->type == XLCFG_LIST) {
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL,
                        "'%s' must be a number, found a list", key);
        return EINVAL;
    }
    rc = xlcfg__number(v->text, r);
    if (rc == ERANGE) {
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL,
                        "'%s': number '%s' is out of range", key, v->text);
        return ERANGE;
    }
    if (rc) {
        const char *hint = NULL;

        if (v->text[0] == '0' && v->text[1] >= '0' && v->text[1] <= '9')
            hint = "a leading 0 makes an octal number; drop the 0";
        if (v->type == XLCFG_STRING)
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, hint,
                            "'%s' must be a number, found the string '%s'", key,
                            v->text);
        else
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, hint,
                            "'%s': invalid number '%s'", key, v->text);
        return EINVAL;
    }
    return 0;
}

int xlcfg_get_string(const xlcfg_cfg *cfg, const char *key, const char **r,
                     xlcfg_diags *d)
{
    const xlcfg_value *v = xlcfg_get(cfg, key);
    xlcfg_loc loc;

    if (!v)
        return ENOENT;
    if (v->type == XLCFG_LIST) {
        xlcfg_value_loc(cfg, v, &loc);
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL,
                        "'%s' must be a string, found a list", key);
        return EINVAL;
    }
    /* As in the reference, a number is also its own text. */
    *r = v->text;
    return 0;
}

int xlcfg_get_long(const xlcfg_cfg *cfg, const char *key, long long *r,
                   xlcfg_diags *d)
{
    const xlcfg_value *v = xlcfg_get(cfg, key);

    if (!v)
        return ENOENT;
    return xlcfg__value_long(cfg, key, v, r, d);
}

int xlcfg_get_bool(const xlcfg_cfg *cfg, const char *key, bool *r,
                   xlcfg_diags *d)
{
    long long l;
    int rc = xlcfg_get_long(cfg, key, &l, d);

    if (!rc)
        *r = l != 0;
    return rc;
}

int xlcfg_get_list(const xlcfg_cfg *cfg, const char *key, const xlcfg_value **r,
                   xlcfg_diags *d)
{
    const xlcfg_value *v = xlcfg_get(cfg, key);
    xlcfg_loc loc;

    if (!v)
        return ENOENT;
    if (v->type != XLCFG_LIST) {
        xlcfg_value_loc(cfg, v, &loc);
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, "write it as a list: [ ... ]",
                        "'%s' must be a list, found %s", key, found_name(v));
        return EINVAL;
    }
    *r = v;
    return 0;
}

int xlcfg_get_strlist(const xlcfg_cfg *cfg, const char *key, const char ***r,
                      size_t *n_r, xlcfg_diags *d)
{
    const xlcfg_value *v = xlcfg_get(cfg, key);
    const char **out;
    xlcfg_loc loc;
    size_t n;

    if (!v)
        return ENOENT;
    n = v->type == XLCFG_LIST ? v->nitems : 1;
    for (size_t i = 0; v->type == XLCFG_LIST && i < n; i++) {
        if (v->items[i]->type == XLCFG_LIST) {
            xlcfg_value_loc(cfg, v->items[i], &loc);
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL,
                            "items of '%s' must be strings, found a list", key);
            return EINVAL;
        }
    }
    out = calloc(n + 1, sizeof(*out));
    if (!out)
        return ENOMEM;
    if (v->type == XLCFG_LIST)
        for (size_t i = 0; i < n; i++)
            out[i] = v->items[i]->text;
    else
        out[0] = v->text;
    *r = out;
    if (n_r)
        *n_r = n;
    return 0;
}
