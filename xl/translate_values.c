/* translate_values.c: reading config values for the translation, as the
 * reference does (diagnostics at the value, CPU maps). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "libxlcfg.h"
#include "translate.h"
#include "translate_internal.h"
#include "xlconf.h"

static const char *const action_names[] = {
    [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
};

int xl_action_from_string(const char *s, libxl_action_on_shutdown *a_r)
{
    for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]);
         i++) {
        if (action_names[i] && !strcmp(s, action_names[i])) {
            *a_r = (libxl_action_on_shutdown)i;
            return 0;
        }
    }
    return EINVAL;
}

const char *xl_action_to_string(libxl_action_on_shutdown a)
{
    if ((size_t)a < sizeof(action_names) / sizeof(action_names[0]) &&
        action_names[a])
        return action_names[a];
    return "unknown";
}

/* ------------------------------------------------------------------------
 * Diagnostics and typed access with the reference's leniency
 */

static void vdiag(translation *t, xlcfg_severity sev, const xlcfg_value *v,
                  const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void vdiag(translation *t, xlcfg_severity sev, const xlcfg_value *v,
                  const char *hint, const char *fmt, va_list ap)
{
    xlcfg_loc loc = {0};
    char *msg = NULL;

    if (v)
        xlcfg_value_loc(t->cfg, v, &loc);
    if (vasprintf(&msg, fmt, ap) < 0) {
        t->rc = ENOMEM;
        return;
    }
    if (xlcfg_diags_add(t->d, sev, v ? &loc : NULL, hint, "%s", msg))
        t->rc = ENOMEM;
    free(msg);
    if (sev == XLCFG_SEV_ERROR && !t->rc)
        t->rc = EINVAL;
}

void tr_err_at(translation *t, const xlcfg_value *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(t, XLCFG_SEV_ERROR, v, NULL, fmt, ap);
    va_end(ap);
}

void tr_warn_at(translation *t, const xlcfg_value *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(t, XLCFG_SEV_WARNING, v, NULL, fmt, ap);
    va_end(ap);
}

void tr_note_at(translation *t, const xlcfg_value *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(t, XLCFG_SEV_NOTE, v, NULL, fmt, ap);
    va_end(ap);
}

void tr_oom(translation *t)
{
    t->rc = ENOMEM;
}

char *tr_xdup(translation *t, const char *s)
{
    char *r = strdup(s);

    if (!r)
        tr_oom(t);
    return r;
}

void tr_replace(translation *t, char **dst, const char *s)
{
    free(*dst);
    *dst = tr_xdup(t, s);
}

/* A scalar (string or number, as the reference stores both as text). */
int tr_get_str(translation *t, const char *key, const char **r)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);

    if (!v)
        return ENOENT;
    if (v->type == XLCFG_LIST) {
        tr_err_at(t, v, "'%s' must be a single value, not a list", key);
        return EINVAL;
    }
    *r = v->text;
    return 0;
}

/* Like the reference's replace_string: only touches *dst when set. */
void tr_get_replace(translation *t, const char *key, char **dst)
{
    const char *s;

    if (!tr_get_str(t, key, &s))
        tr_replace(t, dst, s);
}

int tr_get_long(translation *t, const char *key, long *r)
{
    long long l;
    int rc;

    if (!xlcfg_get(t->cfg, key))
        return ENOENT;
    rc = xlcfg_get_long(t->cfg, key, &l, t->d);
    if (rc) {
        if (!t->rc)
            t->rc = rc == ENOMEM ? ENOMEM : EINVAL;
        return rc;
    }
    if (l < LONG_MIN || l > LONG_MAX) {
        tr_err_at(t, xlcfg_get(t->cfg, key), "'%s' is out of range", key);
        return ERANGE;
    }
    *r = (long)l;
    return 0;
}

/* A number the reference also accepts as a name (tsc_mode, altp2m...):
 * ENOENT if unset, EAGAIN if it is set but not numeric (no diagnostic). */
int tr_get_long_quiet(translation *t, const char *key, long *r)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);
    char *end;
    long l;

    if (!v)
        return ENOENT;
    if (v->type == XLCFG_LIST)
        return EAGAIN;
    errno = 0;
    l = strtol(v->text, &end, 0);
    if (end == v->text || *end || errno)
        return EAGAIN;
    *r = l;
    return 0;
}

int tr_get_defbool(translation *t, const char *key, libxl_defbool *b)
{
    long l;
    int rc = tr_get_long(t, key, &l);

    if (!rc)
        libxl_defbool_set(b, !!l);
    return rc;
}

/* A list; a scalar is an error (the reference warns and ignores it). */
int tr_get_list(translation *t, const char *key, const xlcfg_value **r)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);

    if (!v)
        return ENOENT;
    if (v->type != XLCFG_LIST) {
        tr_err_at(t, v, "'%s' must be a list, e.g. %s = [ \"%s\" ]", key, key,
                  v->text);
        return EINVAL;
    }
    *r = v;
    return 0;
}

/* Item i of a list as a string; nested lists are errors. */
const char *tr_item_str(translation *t, const char *key,
                        const xlcfg_value *item)
{
    if (item->type == XLCFG_LIST) {
        tr_err_at(t, item, "items of '%s' must be strings, not lists", key);
        return NULL;
    }
    return item->text;
}

/* NULL-terminated libxl_string_list from a list of strings. */
int tr_list_to_strings(translation *t, const char *key, const xlcfg_value *list,
                       libxl_string_list *r)
{
    char **sl = calloc(list->nitems + 1, sizeof(*sl));

    if (!sl) {
        tr_oom(t);
        return ENOMEM;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        const char *s = tr_item_str(t, key, list->items[i]);

        if (!s) {
            libxl_string_list_dispose(&sl);
            return EINVAL;
        }
        sl[i] = tr_xdup(t, s);
        if (!sl[i]) {
            libxl_string_list_dispose(&sl);
            return ENOMEM;
        }
    }
    *r = sl;
    return 0;
}

/* split_string_into_string_list: strtok semantics (empty fields drop). */
int tr_split_words(translation *t, const char *s, const char *delim,
                   libxl_string_list *r)
{
    size_t n = 0, cap = 4;
    char **sl = calloc(cap + 1, sizeof(*sl));
    char *buf = strdup(s), *save = NULL;

    if (!sl || !buf)
        goto nomem;
    for (char *p = strtok_r(buf, delim, &save); p;
         p = strtok_r(NULL, delim, &save)) {
        if (n == cap) {
            char **nsl = realloc(sl, (2 * cap + 1) * sizeof(*sl));

            if (!nsl)
                goto nomem;
            sl = nsl;
            cap *= 2;
        }
        sl[n] = strdup(p);
        if (!sl[n])
            goto nomem;
        sl[++n] = NULL;
    }
    free(buf);
    *r = sl;
    return 0;
nomem:
    free(buf);
    libxl_string_list_dispose(&sl);
    tr_oom(t);
    return ENOMEM;
}

/* Trimmed copy of [b, e). */
char *tr_trimmed(translation *t, const char *b, const char *e)
{
    char *r;

    while (b < e && isspace((unsigned char)*b))
        b++;
    while (e > b && isspace((unsigned char)e[-1]))
        e--;
    r = strndup(b, (size_t)(e - b));
    if (!r)
        tr_oom(t);
    return r;
}

/* ------------------------------------------------------------------------
 * CPU affinity
 */

int tr_alloc_bitmap(translation *t, libxl_bitmap *bm, int bits)
{
    libxl_bitmap_init(bm);
    if (bits <= 0)
        bits = 1;
    bm->size = (uint32_t)((bits + 7) / 8);
    bm->map = calloc(bm->size, 1);
    if (!bm->map) {
        bm->size = 0;
        tr_oom(t);
        return ENOMEM;
    }
    return 0;
}

void tr_host_cpus(translation *t)
{
    libxl_cputopology *topo = NULL;
    int nr = 0, bits;

    if (t->nr_cpus)
        return;
    if (t->ctx) {
        topo = libxl_get_cpu_topology(t->ctx, &nr);
        t->nr_cpus = libxl_get_max_cpus(t->ctx);
    }
    if (t->nr_cpus <= 0) {
        long n = sysconf(_SC_NPROCESSORS_CONF);

        t->nr_cpus = n > 0 ? (int)n : 1;
    }
    /* Room for whole bytes of CPUs (see cpulist_to_bitmap). */
    bits = (t->nr_cpus + 7) / 8 * 8;
    t->cpu_to_node = calloc((size_t)bits, sizeof(unsigned));
    for (int i = 0; t->cpu_to_node && topo && i < nr && i < t->nr_cpus; i++) {
        if (topo[i].node != LIBXL_CPUTOPOLOGY_INVALID_ENTRY)
            t->cpu_to_node[i] = topo[i].node;
    }
    if (topo)
        libxl_cputopology_list_free(topo, nr);
}

/* What xlcfg_validate() parsed of item i of `key`; NULL (an error at v)
 * if it did not run: translation never parses a spec itself. */
const void *tr_parsed(translation *t, const void *spec, const xlcfg_value *v)
{
    if (!spec) {
        tr_err_at(t, v, "internal error: this value was not validated");
        if (!t->rc)
            t->rc = EINVAL;
    }
    return spec;
}

/* Count of the host's CPUs set in bm (CPUs past them are ignored). */
static int present_cpus(const translation *t, const libxl_bitmap *bm)
{
    int n = 0;

    for (int i = 0; i < t->nr_cpus && i < (int)bm->size * 8; i++)
        n += libxl_bitmap_test(bm, i);
    return n;
}

static int cpulist_to_bitmap(translation *t, const xlcfg_cpulist *cl,
                             const xlcfg_value *v, libxl_bitmap *bm)
{
    char absent[128];
    unsigned bits;
    int rc;

    tr_host_cpus(t);
    rc = tr_alloc_bitmap(t, bm, t->nr_cpus);
    if (rc)
        return rc;
    /* The reference's maps are whole bytes: CPU numbers up to the end of
     * the last byte are set, the ones past it skipped (libxl_bitmap_set).
     * Node terms need the real CPUs only (the others are in no node). */
    bits = bm->size * 8u;
    for (size_t i = 0; i < cl->nterms; i++)
        if (cl->terms[i].nodes)
            bits = (unsigned)t->nr_cpus;
    xlcfg_cpulist_resolve(cl, bits, t->cpu_to_node, bm->map);
    if (xlcfg_cpulist_absent(cl, (unsigned)t->nr_cpus, t->cpu_to_node, absent,
                             sizeof(absent)))
        tr_warn_at(t, v,
                   "'%s' names CPUs this host lacks (%s; it has %d): Xen "
                   "ignores them",
                   v->text, absent, t->nr_cpus);
    return 0;
}

/* One xl.conf mask as a map of the host's CPUs (whole bytes, as the
 * reference's); every bit when the mask is not set. */
static int mask_bitmap(translation *t, const struct xl_conf_cpumask *m,
                       libxl_bitmap *bm)
{
    char absent[128];
    int rc = tr_alloc_bitmap(t, bm, t->nr_cpus);

    if (rc)
        return rc;
    if (!m->set) {
        libxl_bitmap_set_any(bm);
        return 0;
    }
    xlcfg_cpulist_resolve(&m->list, bm->size * 8u, t->cpu_to_node, bm->map);
    if (xlcfg_cpulist_absent(&m->list, (unsigned)t->nr_cpus, t->cpu_to_node,
                             absent, sizeof(absent))) {
        xlcfg_loc loc = {m->file, m->line, m->col, m->source_line};

        if (xlcfg_diags_add(t->d, XLCFG_SEV_WARNING, &loc, NULL,
                            "'%s' names CPUs this host lacks (%s; it has "
                            "%d): Xen ignores them",
                            m->text, absent, t->nr_cpus))
            tr_oom(t);
    }
    return 0;
}

static bool bitmap_full(const libxl_bitmap *bm)
{
    for (uint32_t i = 0; i < bm->size; i++)
        if (bm->map[i] != 0xff)
            return false;
    return true;
}

/* The host's isolation policy of xl.conf (vm.cpumask, and vm.pv.cpumask or
 * vm.hvm.cpumask by type; HVM and PVH share one), applied to the hard
 * affinity as the reference's create does: each vCPU's map ANDed with
 * both; without a `cpus`, every vCPU gets the masks. A vCPU left with no
 * CPU of the host is an error at `cpus` (v) or at the mask. */
static void apply_cpumasks(translation *t, libxl_domain_build_info *b,
                           const xlcfg_value *v)
{
    const struct xl_conf_cpumask *vm = &t->conf->vm_cpumask;
    const struct xl_conf_cpumask *ty = b->type == LIBXL_DOMAIN_TYPE_PV
                                           ? &t->conf->pv_cpumask
                                           : &t->conf->hvm_cpumask;
    libxl_bitmap mvm, mty;

    if (!vm->set && !ty->set)
        return;
    tr_host_cpus(t);
    libxl_bitmap_init(&mvm);
    libxl_bitmap_init(&mty);
    if (mask_bitmap(t, vm, &mvm) || mask_bitmap(t, ty, &mty))
        goto out;
    if (!b->num_vcpu_hard_affinity &&
        (!bitmap_full(&mvm) || !bitmap_full(&mty))) {
        b->vcpu_hard_affinity =
            calloc(b->max_vcpus > 0 ? (size_t)b->max_vcpus : 1,
                   sizeof(*b->vcpu_hard_affinity));
        if (!b->vcpu_hard_affinity) {
            tr_oom(t);
            goto out;
        }
        for (int i = 0; i < b->max_vcpus; i++) {
            if (tr_alloc_bitmap(t, &b->vcpu_hard_affinity[i], t->nr_cpus))
                goto out;
            libxl_bitmap_set_any(&b->vcpu_hard_affinity[i]);
            b->num_vcpu_hard_affinity = i + 1;
        }
    }
    for (int i = 0; i < b->num_vcpu_hard_affinity; i++) {
        libxl_bitmap *m = &b->vcpu_hard_affinity[i];
        const xlcfg_value *at = v;
        xlcfg_loc loc;

        for (uint32_t k = 0; k < m->size; k++)
            m->map[k] &= (k < mvm.size ? mvm.map[k] : 0) &
                         (k < mty.size ? mty.map[k] : 0);
        /* the reference's test: nothing at all left in the map */
        if (!libxl_bitmap_is_empty(m))
            continue;
        if (v && v->type == XLCFG_LIST && (size_t)i < v->nitems)
            at = v->items[i];
        if (at) {
            tr_err_at(t, at,
                      "the hard affinity of vCPU %d has no CPU left once "
                      "xl.conf's CPU masks apply (vm.cpumask%s)",
                      i, ty->set ? " and the domain type's" : "");
        } else {
            const struct xl_conf_cpumask *m2 = vm->set ? vm : ty;

            loc = (xlcfg_loc){m2->file, m2->line, m2->col, m2->source_line};
            if (xlcfg_diags_add(t->d, XLCFG_SEV_ERROR, &loc, NULL,
                                "'%s' leaves no CPU for the vCPUs of a new "
                                "domain",
                                m2->text))
                tr_oom(t);
            else if (!t->rc)
                t->rc = EINVAL;
        }
        break;
    }
out:
    libxl_bitmap_dispose(&mvm);
    libxl_bitmap_dispose(&mty);
}

/* A vCPU whose hard affinity has none of the host's CPUs (only CPUs it
 * lacks, kept as the reference keeps them) is built by nobody: Xen
 * refuses it. create -n still shows it, as the reference's does; the
 * warning says what a create will do. Once, at `cpus` or the mask. */
static void check_host_cpus(translation *t, libxl_domain_build_info *b,
                            const xlcfg_value *v)
{
    const struct xl_conf_cpumask *vm = &t->conf->vm_cpumask;
    const struct xl_conf_cpumask *ty = b->type == LIBXL_DOMAIN_TYPE_PV
                                           ? &t->conf->pv_cpumask
                                           : &t->conf->hvm_cpumask;
    const struct xl_conf_cpumask *m = vm->set ? vm : ty;

    if (t->rc)
        return;
    for (int i = 0; i < b->num_vcpu_hard_affinity; i++) {
        const xlcfg_value *at = v;
        xlcfg_loc loc;

        if (present_cpus(t, &b->vcpu_hard_affinity[i]))
            continue;
        if (v && v->type == XLCFG_LIST && (size_t)i < v->nitems)
            at = v->items[i];
        if (at || !m->set) {
            tr_warn_at(t, at,
                       "vCPU %d may run on no CPU of this host (it has %d): "
                       "Xen will refuse to build the domain",
                       i, t->nr_cpus);
            return;
        }
        loc = (xlcfg_loc){m->file, m->line, m->col, m->source_line};
        if (xlcfg_diags_add(t->d, XLCFG_SEV_WARNING, &loc, NULL,
                            "'%s' leaves vCPU %d no CPU of this host (it has "
                            "%d): Xen will refuse to build the domain",
                            m->text, i, t->nr_cpus))
            tr_oom(t);
        return;
    }
}

void tr_vcpu_affinity(translation *t, libxl_domain_build_info *b,
                      const char *key, bool hard)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);
    const xlcfg_cpulist *cl;
    libxl_bitmap *arr;
    int n;

    if (!v) {
        if (hard) {
            apply_cpumasks(t, b, NULL);
            check_host_cpus(t, b, NULL);
        }
        return;
    }
    /* A string applies to every vCPU; list item i to vCPU i; extra items
     * for vCPUs that do not exist are ignored, as in the reference. */
    n = b->max_vcpus;
    if (v->type == XLCFG_LIST && (int)v->nitems < n)
        n = (int)v->nitems;
    arr = calloc(n > 0 ? (size_t)n : 1, sizeof(*arr));
    if (!arr) {
        tr_oom(t);
        return;
    }
    for (int i = 0; i < n; i++)
        libxl_bitmap_init(&arr[i]);
    if (hard) {
        b->num_vcpu_hard_affinity = (uint32_t)n;
        b->vcpu_hard_affinity = arr;
    } else {
        b->num_vcpu_soft_affinity = (uint32_t)n;
        b->vcpu_soft_affinity = arr;
    }
    if (v->type == XLCFG_LIST) {
        for (int i = 0; i < n; i++) {
            if (!tr_item_str(t, key, v->items[i]))
                return;
            cl = tr_parsed(t, xlcfg_parsed_cpulist(t->cfg, key, (size_t)i),
                           v->items[i]);
            if (!cl || cpulist_to_bitmap(t, cl, v->items[i], &arr[i]))
                return;
        }
        libxl_defbool_set(&b->numa_placement, false);
    } else {
        cl = tr_parsed(t, xlcfg_parsed_cpulist(t->cfg, key, 0), v);
        /* one string, one warning: resolved once, copied to each vCPU */
        for (int i = 0; cl && i < n; i++) {
            if (i ? tr_alloc_bitmap(t, &arr[i], t->nr_cpus)
                  : cpulist_to_bitmap(t, cl, v, &arr[i]))
                return;
            if (i)
                memcpy(arr[i].map, arr[0].map, arr[0].size);
        }
        if (!cl)
            return;
        if (!hard)
            libxl_defbool_set(&b->numa_placement, false);
    }
    if (!hard)
        return;
    apply_cpumasks(t, b, v);
    check_host_cpus(t, b, v);
}
