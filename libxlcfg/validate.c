/* Validation of a whole config: known keys, types, bounds, xm-era keys and
 * every device spec through the spec parsers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct vctx {
    xlcfg_cfg *cfg;
    xlcfg_diags *d;
    unsigned errors;
} vctx;

static void key_loc(const vctx *c, const xlcfg_setting *s, xlcfg_loc *loc)
{
    xlcfg_setting_key_loc(c->cfg, s, loc);
}

static const char *found_name(const xlcfg_value *v)
{
    return v->type == XLCFG_LIST     ? "a list"
           : v->type == XLCFG_NUMBER ? "a number"
                                     : "a string";
}

static void unknown_key(vctx *c, const xlcfg_setting *s)
{
    xlcfg_loc loc;
    const char *sug = xlcfg_key_suggest(s->key);
    char hint[128];

    key_loc(c, s, &loc);
    if (sug)
        snprintf(hint, sizeof(hint), "did you mean '%s'?", sug);
    xlcfg_diags_add(c->d, XLCFG_SEV_WARNING, &loc, sug ? hint : NULL,
                    "unknown key '%s' is ignored", s->key);
}

static void old_key(vctx *c, const xlcfg_setting *s, const xlcfg_keyinfo *ki)
{
    xlcfg_loc loc;
    const char *note = ki->note ? ki->note : "";
    static const char ignored[] = "ignored: ";

    key_loc(c, s, &loc);
    if (strncmp(note, ignored, sizeof(ignored) - 1) == 0)
        xlcfg_diags_add(c->d, XLCFG_SEV_WARNING, &loc,
                        note + sizeof(ignored) - 1, "%s key '%s' is ignored",
                        ki->flags & XLCFG_KF_XM ? "xm-era" : "deprecated",
                        s->key);
    else
        xlcfg_diags_add(
            c->d, XLCFG_SEV_WARNING, &loc, ki->note, "%s key '%s' still works",
            ki->flags & XLCFG_KF_XM ? "xm-era" : "deprecated", s->key);
}

static void check_number(vctx *c, const xlcfg_keyinfo *ki, const char *key,
                         const xlcfg_value *v)
{
    long long l;
    xlcfg_loc loc;
    int rc = xlcfg__value_long(c->cfg, key, v, &l, c->d);

    if (rc) {
        c->errors++;
        return;
    }
    if (ki->type == XLCFG_KT_NUMBER && ki->min <= ki->max &&
        (l < ki->min || l > ki->max)) {
        xlcfg_value_loc(c->cfg, v, &loc);
        xlcfg_diags_add(c->d, XLCFG_SEV_ERROR, &loc, NULL,
                        "'%s' must be between %lld and %lld, found %lld", key,
                        ki->min, ki->max, l);
        c->errors++;
    }
}

/* A value that must be one of `words`. */
static void check_word(vctx *c, const char *key, const xlcfg_value *v,
                       const char *const *words, const char *hint)
{
    xlcfg_loc loc;

    if (v->type != XLCFG_STRING)
        return;
    for (size_t i = 0; words[i]; i++)
        if (strcmp(v->text, words[i]) == 0)
            return;
    xlcfg_value_loc(c->cfg, v, &loc);
    xlcfg_diags_add(c->d, XLCFG_SEV_ERROR, &loc, hint, "invalid %s '%s'", key,
                    v->text);
    c->errors++;
}

static void spec_free(enum xlcfg__spec_kind kind, void *spec)
{
    if (!spec)
        return;
    switch (kind) {
    case XLCFG__SPEC_DISK:
        xlcfg_disk_dispose(spec);
        break;
    case XLCFG__SPEC_VIF:
        xlcfg_vif_dispose(spec);
        break;
    case XLCFG__SPEC_PCI:
        xlcfg_pci_dispose(spec);
        break;
    case XLCFG__SPEC_CPUS:
    case XLCFG__SPEC_CPUS_SOFT:
    case XLCFG__NSPEC:
        xlcfg_cpulist_dispose(spec);
        break;
    }
    free(spec);
}

void xlcfg__kept_free(xlcfg_cfg *cfg)
{
    for (int kind = 0; kind < XLCFG__NSPEC; kind++) {
        struct xlcfg__kept *k = &cfg->kept[kind];

        for (size_t i = 0; i < k->n; i++)
            spec_free((enum xlcfg__spec_kind)kind, k->items[i]);
        free(k->items);
        k->items = NULL;
        k->n = 0;
    }
}

static const void *kept_at(const xlcfg_cfg *cfg, enum xlcfg__spec_kind kind,
                           size_t i)
{
    if (!cfg || i >= cfg->kept[kind].n)
        return NULL;
    return cfg->kept[kind].items[i];
}

const xlcfg_disk *xlcfg_parsed_disk(const xlcfg_cfg *cfg, size_t i)
{
    return kept_at(cfg, XLCFG__SPEC_DISK, i);
}

const xlcfg_vif *xlcfg_parsed_vif(const xlcfg_cfg *cfg, size_t i)
{
    return kept_at(cfg, XLCFG__SPEC_VIF, i);
}

const xlcfg_pci *xlcfg_parsed_pci(const xlcfg_cfg *cfg, size_t i)
{
    return kept_at(cfg, XLCFG__SPEC_PCI, i);
}

const xlcfg_cpulist *xlcfg_parsed_cpulist(const xlcfg_cfg *cfg, const char *key,
                                          size_t i)
{
    if (key && strcmp(key, "cpus") == 0)
        return kept_at(cfg, XLCFG__SPEC_CPUS, i);
    if (key && strcmp(key, "cpus_soft") == 0)
        return kept_at(cfg, XLCFG__SPEC_CPUS_SOFT, i);
    return NULL;
}

/* Parse one spec item and keep the struct at kept[kind].items[idx]. */
static int check_spec(vctx *c, enum xlcfg__spec_kind kind, size_t idx,
                      const xlcfg_value *item)
{
    struct xlcfg__kept *k = &c->cfg->kept[kind];
    static const size_t sizes[XLCFG__NSPEC] = {
        [XLCFG__SPEC_DISK] = sizeof(xlcfg_disk),
        [XLCFG__SPEC_VIF] = sizeof(xlcfg_vif),
        [XLCFG__SPEC_PCI] = sizeof(xlcfg_pci),
        [XLCFG__SPEC_CPUS] = sizeof(xlcfg_cpulist),
        [XLCFG__SPEC_CPUS_SOFT] = sizeof(xlcfg_cpulist),
    };
    void *spec = calloc(1, sizes[kind]);
    xlcfg_loc loc;
    int rc = 0;

    if (!spec)
        return ENOMEM;
    xlcfg_value_loc(c->cfg, item, &loc);
    switch (kind) {
    case XLCFG__SPEC_DISK:
        rc = xlcfg_parse_disk(item->text, &loc, spec, c->d);
        break;
    case XLCFG__SPEC_VIF:
        rc = xlcfg_parse_vif(item->text, &loc, spec, c->d);
        break;
    case XLCFG__SPEC_PCI:
        rc = xlcfg_parse_pci(item->text, &loc, spec, c->d);
        break;
    case XLCFG__SPEC_CPUS:
    case XLCFG__SPEC_CPUS_SOFT:
    case XLCFG__NSPEC:
        rc = xlcfg_parse_cpulist(item->text, &loc, spec, c->d);
        break;
    }
    if (rc) {
        spec_free(kind, spec);
        if (rc == ENOMEM)
            return ENOMEM;
        c->errors++;
        return 0;
    }
    k->items[idx] = spec;
    return 0;
}

/* Every item of a device list (or the one value, for a string) as a
 * spec; the parsed structs are kept in the cfg for translation. */
static int check_specs(vctx *c, const char *key, enum xlcfg__spec_kind kind,
                       const xlcfg_value *v)
{
    struct xlcfg__kept *k = &c->cfg->kept[kind];
    bool cpus = kind == XLCFG__SPEC_CPUS || kind == XLCFG__SPEC_CPUS_SOFT;
    size_t n = v->type == XLCFG_LIST ? v->nitems : 1;
    xlcfg_loc loc;

    k->items = calloc(n ? n : 1, sizeof(*k->items));
    if (!k->items)
        return ENOMEM;
    k->n = n;
    if (v->type != XLCFG_LIST) {
        /* cpus = 3 is a CPU list too; a scalar device list is left to
         * translation, which says it must be a list. */
        if (v->type == XLCFG_STRING || cpus)
            return check_spec(c, kind, 0, v);
        return 0;
    }
    for (size_t i = 0; i < v->nitems; i++) {
        const xlcfg_value *it = v->items[i];

        if (it->type == XLCFG_LIST) {
            xlcfg_value_loc(c->cfg, it, &loc);
            xlcfg_diags_add(c->d, XLCFG_SEV_ERROR, &loc, NULL,
                            "items of '%s' must be strings, found a list", key);
            c->errors++;
            continue;
        }
        if (check_spec(c, kind, i, it))
            return ENOMEM;
    }
    return 0;
}

static int check_value(vctx *c, const xlcfg_setting *s, const xlcfg_keyinfo *ki,
                       const xlcfg_value *v)
{
    static const char *const actions[] = {
        "destroy",          "restart",          "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart", "soft-reset",     NULL};
    static const char *const types[] = {"pv", "pvh", "hvm", NULL};
    static const char *const builders[] = {"generic", "hvm", NULL};
    xlcfg_loc loc;

    switch (ki->type) {
    case XLCFG_KT_STRING:
        if (v->type == XLCFG_LIST) {
            xlcfg_value_loc(c->cfg, v, &loc);
            xlcfg_diags_add(c->d, XLCFG_SEV_ERROR, &loc, NULL,
                            "'%s' must be a string, found a list", s->key);
            c->errors++;
            return 0;
        }
        break;
    case XLCFG_KT_NUMBER:
    case XLCFG_KT_BOOL:
        check_number(c, ki, s->key, v);
        return 0;
    case XLCFG_KT_LIST:
        if (v->type != XLCFG_LIST) {
            xlcfg_value_loc(c->cfg, v, &loc);
            xlcfg_diags_add(
                c->d, XLCFG_SEV_ERROR, &loc, "write it as a list: [ ... ]",
                "'%s' must be a list, found %s", s->key, found_name(v));
            c->errors++;
            return 0;
        }
        break;
    case XLCFG_KT_STRING_OR_LIST:
        break;
    }
    /* xm's on_xend_start/on_xend_stop took other words (ignored). */
    if (strncmp(s->key, "on_", 3) == 0 && !(ki->flags & XLCFG_KF_XM))
        check_word(c, s->key, v, actions,
                   "actions are destroy, restart, rename-restart, preserve, "
                   "coredump-destroy, coredump-restart, soft-reset");
    else if (strcmp(s->key, "type") == 0)
        check_word(c, s->key, v, types, "type is \"pv\", \"pvh\" or \"hvm\"");
    else if (strcmp(s->key, "builder") == 0)
        check_word(c, s->key, v, builders,
                   "write type = \"pv\", \"pvh\" or \"hvm\" instead");
    else if (strcmp(s->key, "disk") == 0)
        return check_specs(c, s->key, XLCFG__SPEC_DISK, v);
    else if (strcmp(s->key, "vif") == 0)
        return check_specs(c, s->key, XLCFG__SPEC_VIF, v);
    else if (strcmp(s->key, "pci") == 0)
        return check_specs(c, s->key, XLCFG__SPEC_PCI, v);
    else if (strcmp(s->key, "cpus") == 0)
        return check_specs(c, s->key, XLCFG__SPEC_CPUS, v);
    else if (strcmp(s->key, "cpus_soft") == 0)
        return check_specs(c, s->key, XLCFG__SPEC_CPUS_SOFT, v);
    return 0;
}

static const char *string_of(const xlcfg_cfg *cfg, const char *key)
{
    const struct xlcfg__eff *e = xlcfg__eff_find(cfg, key);

    return e && e->value->type != XLCFG_LIST ? e->value->text : NULL;
}

/* xm's habit: builder='hvm' with kernel='/usr/lib/xen/boot/hvmloader'. xl
 * loads hvmloader itself and ignores such a kernel (it would otherwise be
 * an HVM direct kernel boot). */
static void check_hvmloader(vctx *c)
{
    const char *type = string_of(c->cfg, "type");
    const char *builder = string_of(c->cfg, "builder");
    const struct xlcfg__eff *k = xlcfg__eff_find(c->cfg, "kernel");
    const char *base;
    xlcfg_loc loc;

    if (!k || k->value->type != XLCFG_STRING)
        return;
    if (!(type ? strcmp(type, "hvm") == 0
               : builder && strcmp(builder, "hvm") == 0))
        return;
    base = strrchr(k->value->text, '/');
    base = base ? base + 1 : k->value->text;
    if (strcmp(base, "hvmloader") != 0)
        return;
    xlcfg_value_loc(c->cfg, k->value, &loc);
    xlcfg_diags_add(c->d, XLCFG_SEV_WARNING, &loc,
                    "xl loads hvmloader for HVM guests by itself; remove the "
                    "line (firmware_override sets another firmware)",
                    "'kernel' naming hvmloader is ignored for an HVM guest");
}

int xlcfg_validate(xlcfg_cfg *cfg, xlcfg_diags *d)
{
    vctx c = {.cfg = cfg, .d = d};

    if (!cfg)
        return EINVAL;
    xlcfg__kept_free(cfg);
    /* Source order of each key's last statement reads naturally. */
    for (size_t i = 0; i < cfg->nsettings; i++) {
        const xlcfg_setting *s = cfg->settings[i];
        const struct xlcfg__eff *e = xlcfg__eff_find(cfg, s->key);
        const xlcfg_keyinfo *ki;

        if (!e || e->setting != s)
            continue;
        ki = xlcfg_key_lookup(s->key);
        if (!ki) {
            unknown_key(&c, s);
            continue;
        }
        if (ki->flags & XLCFG_KF_REFUSED) {
            /* As xl's translation says it: check-config must not call
             * OK what create refuses. */
            xlcfg_loc loc;

            key_loc(&c, s, &loc);
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL, "'%s' is %s",
                            s->key, ki->note);
            c.errors++;
            continue;
        }
        if (ki->flags & (XLCFG_KF_XM | XLCFG_KF_DEPRECATED))
            old_key(&c, s, ki);
        if (check_value(&c, s, ki, e->value))
            return ENOMEM;
    }
    check_hvmloader(&c);
    /* Validation's own look-ups are not reads (xlcfg_reads_reset). */
    if (!xlcfg__eff_find(cfg, "name") && !xlcfg__key_failed(cfg, "name")) {
        xlcfg_loc loc = {0};

        if (cfg->nsources)
            loc.file = cfg->sources[0].name;
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc,
                        "every domain needs name = \"...\"",
                        "'name' is not set");
        c.errors++;
    }
    return c.errors ? EINVAL : 0;
}
